package dev.kiln.spi;

import dev.kiln.Principal;
import java.util.Map;

/**
 * Who writes and what to record in each commit's {@code commitInfo}.
 *
 * @param principal the acting principal
 * @param extra further {@code commitInfo} fields (for example lineage), may be empty
 */
public record CommitContext(Principal principal, Map<String, String> extra) {
    /**
     * Copies the map.
     *
     * @param principal the acting principal
     * @param extra further fields
     */
    public CommitContext {
        extra = Map.copyOf(extra);
    }
}
