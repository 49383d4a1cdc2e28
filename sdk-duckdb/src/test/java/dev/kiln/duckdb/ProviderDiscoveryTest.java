package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.KilnException;
import dev.kiln.Principal;
import dev.kiln.spi.StorageBackend;
import dev.kiln.spi.StorageContext;
import dev.kiln.spi.StorageProvider;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit wiring first, then -Dkiln.storage, then ServiceLoader by priority. */
class ProviderDiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void serviceLoaderFindsDuckDbAndThePrincipalDefaultsToTheOsUser() {
        try (Kiln kiln = Kiln.open(dir)) {
            assertThat(kiln.principal()).isEqualTo(Principal.currentUser());
            kiln.lakehouse().createSchema("s");
            assertThat(kiln.lakehouse().schemas()).contains("s");
        }
    }

    @Test
    void theSystemPropertySelectsByName() {
        System.setProperty("kiln.storage", "duckdb");
        try (Kiln kiln = Kiln.open(dir)) {
            assertThat(kiln.root()).isEqualTo(dir.toAbsolutePath().normalize());
        } finally {
            System.clearProperty("kiln.storage");
        }
        System.setProperty("kiln.storage", "nosuch");
        try {
            assertThatThrownBy(() -> Kiln.open(dir)).isInstanceOf(KilnException.class).hasMessageContaining("nosuch").hasMessageContaining("duckdb");
        } finally {
            System.clearProperty("kiln.storage");
        }
    }

    @Test
    void explicitWiringWinsOverDiscovery() {
        AtomicInteger opened = new AtomicInteger();
        StorageProvider counting = new StorageProvider() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public int priority() {
                return -1;
            }

            @Override
            public StorageBackend open(StorageContext context) {
                opened.incrementAndGet();
                return new DuckStorageProvider().open(context);
            }
        };
        System.setProperty("kiln.storage", "nosuch");
        try (Kiln kiln = Kiln.builder().root(dir).storage(counting).principal(Principal.of("alice")).open()) {
            assertThat(kiln.principal().name()).isEqualTo("alice");
        } finally {
            System.clearProperty("kiln.storage");
        }
        assertThat(opened).hasValue(1);
    }
}
