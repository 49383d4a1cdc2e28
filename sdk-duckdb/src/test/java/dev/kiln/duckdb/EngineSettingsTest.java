package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.KilnException;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace properties that bound DuckDB's memory reach the engine; a bad value stops the workspace from opening. */
class EngineSettingsTest {
    @TempDir
    Path dir;

    @Test
    void memoryLimitAndSpillFolderApplied() {
        Path spill = dir.resolve("spill here");
        try (Kiln kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider())
                .property(DuckStorageProvider.MEMORY_LIMIT, "2GiB").property(DuckStorageProvider.TEMP_DIRECTORY, spill.toString()).open();
                Rows rows = kiln.lakehouse().sql("SELECT current_setting('memory_limit'), current_setting('temp_directory')")) {
            rows.next();
            assertThat(rows.get(0)).isEqualTo("2.0 GiB");
            assertThat(rows.get(1)).isEqualTo(spill.toString());
        }
    }

    @Test
    void badMemoryLimitRefused() {
        assertThatThrownBy(() -> Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider())
                .property(DuckStorageProvider.MEMORY_LIMIT, "lots").open().close())
                .isInstanceOf(KilnException.class).hasMessageContaining("Memory must have a number");
    }
}
