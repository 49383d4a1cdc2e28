package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace properties for DuckDB reach the engine; a bad value stops the workspace from opening, naming the property. */
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
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("duckdb.memory_limit").hasMessageContaining("lots");
    }

    @Test
    void badThreadCountRefusedNamingTheProperty() {
        assertThatThrownBy(() -> Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider())
                .property(DuckStorageProvider.THREADS, "many").open().close())
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("duckdb.threads").hasMessageContaining("'many'");
    }

    @Test
    void spillsGoToAFolderOfThisProcessInsideTheWorkspaceByDefault() throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve("ws").resolve(".tmp").resolve("duckdb-1")); // as a spill leaves it
        try (Kiln kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider()).open();
                Rows rows = kiln.lakehouse().sql("SELECT current_setting('temp_directory')")) {
            rows.next();
            assertThat(Path.of((String) rows.get(0))).isEqualTo(dir.resolve("ws").resolve(".tmp").resolve("duckdb-" + ProcessHandle.current().pid()));
            assertThat(kiln.lakehouse().schemas()).containsExactly("system"); // the spill folder is not a schema
        }
    }
}
