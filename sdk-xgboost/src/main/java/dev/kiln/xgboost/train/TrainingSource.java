package dev.kiln.xgboost.train;

import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Scan;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Snapshot;
import dev.kiln.training.TrainingData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where training rows come from: one pinned snapshot of a table (so a rerun reads the same rows), or
 * a SQL query with the table versions it read.
 */
abstract class TrainingSource {

    /** The table versions the rows come from, by lower-case table name. */
    abstract Map<String, Long> tableVersions();

    abstract Schema schema();

    /** The number of rows, or -1 when only reading them tells. */
    abstract long count();

    /**
     * Whether every read returns the rows in the same order whichever columns it picks, so that a
     * wide row can be read as several narrower reads side by side.
     */
    abstract boolean ordered();

    /** Reads these columns, in this order. */
    abstract Rows read(List<String> columns);

    static TrainingSource of(Lakehouse lake, TrainingData data) {
        if (data.table() != null) {
            return new TableSource(data.table(), lake.table(data.table()).latest());
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        data.readTables().forEach((table, version) -> versions.put(table.toLowerCase(Locale.ROOT), version));
        return new QuerySource(lake, data.query(), versions);
    }

    private static final class TableSource extends TrainingSource {
        private final String name;
        private final Snapshot snapshot;

        TableSource(String name, Snapshot snapshot) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.snapshot = snapshot;
        }

        @Override
        Map<String, Long> tableVersions() {
            return Map.of(name, snapshot.version());
        }

        @Override
        Schema schema() {
            return snapshot.schema();
        }

        @Override
        long count() {
            return snapshot.scan().count();
        }

        @Override
        boolean ordered() {
            return snapshot.scan().ordered();
        }

        @Override
        Rows read(List<String> columns) {
            return snapshot.scan().columns(columns).rows();
        }
    }

    private static final class QuerySource extends TrainingSource {
        private final Lakehouse lake;
        private final String query;
        private final Map<String, Long> versions;

        QuerySource(Lakehouse lake, String query, Map<String, Long> versions) {
            this.lake = lake;
            this.query = query;
            this.versions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        }

        @Override
        Map<String, Long> tableVersions() {
            return versions;
        }

        @Override
        Schema schema() {
            try (Rows probe = lake.sql("SELECT * FROM (" + query + ") AS source LIMIT 0")) {
                return probe.schema();
            }
        }

        @Override
        long count() {
            return -1; // counting would run the query twice
        }

        @Override
        boolean ordered() {
            return false; // a query may join or aggregate: two runs need not agree on the order
        }

        @Override
        Rows read(List<String> columns) {
            StringBuilder select = new StringBuilder("SELECT ");
            for (int i = 0; i < columns.size(); i++) {
                select.append(i == 0 ? "" : ", ").append('"').append(columns.get(i).replace("\"", "\"\"")).append('"');
            }
            return lake.sql(select.append(" FROM (").append(query).append(") AS source").toString());
        }
    }
}
