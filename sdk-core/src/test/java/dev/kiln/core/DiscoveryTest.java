package dev.kiln.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.KilnException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kiln-core alone has no storage backend: opening a workspace must say which module to add. */
class DiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void aMissingBackendIsNamed() {
        assertThatThrownBy(() -> Kiln.open(dir)).isInstanceOf(KilnException.class).hasMessageContaining("dev.kiln:kiln-duckdb");
    }

    @Test
    void aRootIsRequired() {
        assertThatThrownBy(() -> Kiln.builder().open()).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("root");
    }

    @Test
    void aNamedProviderThatIsAbsentIsNamed() {
        System.setProperty("kiln.storage", "spark");
        try {
            assertThatThrownBy(() -> Kiln.open(dir)).isInstanceOf(KilnException.class).hasMessageContaining("kiln.storage=spark");
        } finally {
            System.clearProperty("kiln.storage");
        }
        assertThat(System.getProperty("kiln.storage")).isNull();
    }
}
