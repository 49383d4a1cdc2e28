package dev.kiln.duckdb.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.duckdb.DuckStorageProvider;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureStores;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a spine big enough for DuckDB to work in parallel, spread over three files, the training set keeps every row in the
 * spine's order (rows, writeTo and its SQL run as is); its unordered SQL gives the same rows.
 */
class LargeSpineOrderTest {
    @TempDir
    Path dir;

    @Test
    void spineOrderAndCountKeptInParallel() {
        try (Kiln kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider()).open()) {
            FeatureStore store = FeatureStores.of(kiln);
            kiln.lakehouse().createSchema("fs");
            kiln.lakehouse().createSchema("ml");
            store.createTable(FeatureTableDefinition.builder("fs.f").primaryKeys("id").timestampKey("ts").build(),
                    "SELECT (i % 5000)::BIGINT AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i::BIGINT) AS ts, i * 0.5 AS x "
                            + "FROM range(50000) AS r(i)");
            Table spine = kiln.lakehouse().createTable(TableDefinition.builder("ml.spine").schema("seq BIGINT, id BIGINT, t TIMESTAMP").build());
            for (int batch = 0; batch < 3; batch++) {
                // descending and scrambled, so that neither key nor time order matches the spine order
                spine.append(WriteSource.query("SELECT " + batch + " * 1000000 + (99999 - i) AS seq, hash(i) % 6000 AS id, "
                        + "TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((hash(i + 7) % 60000)::BIGINT) AS t FROM range(100000) AS r(i)"));
            }
            long[] expected = new long[300_000];
            int n = 0;
            try (Rows rows = spine.latest().scan().columns("seq").rows()) {
                while (rows.next()) {
                    expected[n++] = (Long) rows.get(0);
                }
            }
            assertThat(n).isEqualTo(300_000);
            try (TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                    .lookup(FeatureLookup.builder("fs.f").build()).build())) {
                assertThat(order(set.rows(), expected)).isEqualTo(300_000);
                assertThat(order(set.writeTo("ml.train").latest().scan().rows(), expected)).isEqualTo(300_000);
                assertThat(order(kiln.lakehouse().sql(set.sql()), expected)).isEqualTo(300_000);
                // the unordered query gives the same rows (as a multiset), without the sort
                for (String[] pair : new String[][] {{set.sql(), set.unorderedSql()}, {set.unorderedSql(), set.sql()}}) {
                    try (Rows diff = kiln.lakehouse().sql("SELECT count(*) FROM ((" + pair[0] + ") EXCEPT ALL (" + pair[1] + ")) AS d")) {
                        diff.next();
                        assertThat(((Number) diff.get(0)).longValue()).isZero();
                    }
                }
                try (Rows agg = kiln.lakehouse().sql("SELECT count(*), sum(seq), count(x), sum(x) FROM (" + set.unorderedSql() + ") AS q");
                        Rows ref = kiln.lakehouse().sql("SELECT count(*), sum(seq), count(x), sum(x) FROM (" + set.sql() + ") AS q")) {
                    agg.next();
                    ref.next();
                    assertThat(((Number) agg.get(0)).longValue()).isEqualTo(300_000L);
                    for (int c = 0; c < 4; c++) {
                        assertThat(agg.get(c)).as("column %d", c).isEqualTo(ref.get(c));
                    }
                }
            }
        }
    }

    private static int order(Rows rows, long[] expected) {
        int i = 0;
        try (rows) {
            while (rows.next()) {
                assertThat((Long) rows.get(0)).as("row %d", i).isEqualTo(expected[i]);
                i++;
            }
        }
        return i;
    }
}
