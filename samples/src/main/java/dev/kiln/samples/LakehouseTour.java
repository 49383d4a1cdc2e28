package dev.kiln.samples;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A walk through the lakehouse: a partitioned table of orders, appends, an upsert, a delete, an
 * update, time travel and compaction, printed as it goes. Running it again on the same workspace
 * adds new versions to the same table.
 */
public final class LakehouseTour {
    private LakehouseTour() {
    }

    /**
     * Runs the tour.
     *
     * @param workspace the workspace folder
     * @param out where to print
     * @return the latest version of the orders table at the end
     */
    public static long run(Path workspace, PrintStream out) {
        try (Kiln kiln = Kiln.open(workspace)) {
            Lakehouse lake = kiln.lakehouse();
            lake.createSchemaIfNotExists("sales");
            Table orders = lake.tableExists("sales.orders") ? lake.table("sales.orders")
                    : lake.createTable(TableDefinition.builder("sales.orders")
                            .schema("id BIGINT NOT NULL, ts TIMESTAMP, region STRING, amount DOUBLE")
                            .partitionBy("region")
                            .description("Orders of the lakehouse tour")
                            .build());
            long start = orders.latest().version();
            long base = orders.latest().scan().count() + 1;
            for (int batch = 0; batch < 2; batch++) {
                CommitInfo load = orders.append(WriteSource.query("SELECT (" + base + " + i)::BIGINT AS id, "
                        + "TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_minutes(i::BIGINT) AS ts, "
                        + "['EU', 'US', 'APAC'][1 + (i % 3)::INT] AS region, round(10 + (i * 37 % 1000) / 10.0, 2) AS amount "
                        + "FROM range(" + (batch * 5000) + ", " + (batch * 5000 + 5000) + ") r(i)"));
                out.printf("appended %d orders as version %d%n", load.operationMetrics().get("numOutputRows"), load.version());
            }
            orders.merge(MergeSpec.builder(WriteSource.query("SELECT " + base + "::BIGINT AS id, TIMESTAMPTZ '2026-02-01 00:00:00+00' AS ts, "
                    + "'EU' AS region, 999.0::DOUBLE AS amount UNION ALL SELECT -" + base + "::BIGINT, TIMESTAMPTZ '2026-02-01 00:00:00+00', "
                    + "'US', 5.0::DOUBLE"), "id").whenMatchedUpdateAll().whenNotMatchedInsertAll().build());
            orders.delete("region = 'US' AND amount < 11");
            out.printf("after a merge and a delete: version %d, %d rows in %d files%n",
                    orders.latest().version(), orders.latest().scan().count(), orders.latest().fileCount());
            try (Rows rows = lake.sql("SELECT region, count(*) AS orders, round(sum(amount), 2) AS revenue FROM sales.orders "
                    + "GROUP BY region ORDER BY region")) {
                while (rows.next()) {
                    out.printf("  %-5s %6s orders  %12s%n", rows.get(0), rows.get(1), rows.get(2));
                }
            }
            out.printf("time travel: version %d had %d rows; the EU partition holds %d of %d files%n", start,
                    orders.asOfVersion(start).scan().count(), orders.latest().scan().filter("region = 'EU'").files().size(),
                    orders.latest().fileCount());
            CommitInfo optimized = orders.optimize();
            out.printf("optimize: version %d, now %d files%n", optimized.version(), orders.latest().fileCount());
            out.println("history:");
            orders.history().stream().limit(6).forEach(c -> out.printf("  v%-4d %-13s by %s%n", c.version(), c.operation(), c.principal()));
            out.println("workspace: " + kiln.root());
            return orders.latest().version();
        }
    }

    /**
     * Runs the tour in the folder given as the first argument (default {@code kiln-sample}).
     *
     * @param args optional workspace folder
     */
    public static void main(String[] args) {
        run(Path.of(args.length > 0 ? args[0] : "kiln-sample"), System.out);
    }
}
