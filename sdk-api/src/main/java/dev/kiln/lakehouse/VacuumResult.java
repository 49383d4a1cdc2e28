package dev.kiln.lakehouse;

import java.util.List;

/**
 * What a vacuum removed.
 *
 * @param deletedFiles paths (relative to the table) of the data files deleted
 */
public record VacuumResult(List<String> deletedFiles) {
    /**
     * Copies the list.
     *
     * @param deletedFiles the deleted files
     */
    public VacuumResult {
        deletedFiles = List.copyOf(deletedFiles);
    }
}
