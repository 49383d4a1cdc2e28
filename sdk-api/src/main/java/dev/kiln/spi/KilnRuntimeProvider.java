package dev.kiln.spi;

import dev.kiln.Kiln;
import dev.kiln.KilnBuilder;

/**
 * Implemented once, by kiln-core: turns a configured builder into an open workspace.
 * Applications never call it; {@link KilnBuilder#open()} does.
 */
public interface KilnRuntimeProvider {

    /**
     * Opens the workspace the builder describes.
     *
     * @param settings the configured builder
     * @return the open workspace
     * @throws dev.kiln.KilnException if the workspace cannot be opened
     */
    Kiln open(KilnBuilder settings);
}
