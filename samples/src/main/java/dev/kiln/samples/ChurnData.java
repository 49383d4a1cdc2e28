package dev.kiln.samples;

import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;

/**
 * Generates the retail data set of the churn quickstart with a fixed seed: customers, their
 * transactions, web clickstream and support tickets over 2025, and a churn label per customer at a
 * label time. A hidden engagement score drives both the behaviour and the churn, so the signal is
 * learnable; churners go quiet after their label time while others keep buying, so features computed
 * after the label time would leak the answer (which is what a point-in-time join prevents).
 *
 * <p>Realistic mess: skewed activity counts, about 2% of amounts and 3% of durations missing, and a
 * second batch of transactions that arrives late with old timestamps.
 */
public final class ChurnData {
    /** The schema the raw tables land in. */
    public static final String SCHEMA = "retail";

    private ChurnData() {
    }

    /** A uniform number in [0, 1) from the customer id, a stream number and the seed. */
    private static String uniform(String id, int stream, long seed) {
        return "((hash(" + id + ", " + stream + ", " + seed + ") % 1000003) / 1000003.0)";
    }

    /** Per-customer hidden traits, shared by every generated table. */
    private static String customersCte(int customers, long seed) {
        return "WITH c AS (SELECT i AS customer_id, " + uniform("i", 1, seed) + " AS engagement, "
                + "CASE WHEN " + uniform("i", 4, seed) + " < 0.5 THEN 'basic' WHEN " + uniform("i", 4, seed) + " < 0.85 THEN 'plus' ELSE 'premium' END AS plan, "
                + "TIMESTAMPTZ '2025-10-01 00:00:00+00' + to_hours((" + uniform("i", 2, seed) + " * 24 * 60)::BIGINT) AS label_time "
                + "FROM range(" + customers + ") r(i)), "
                + "cc AS (SELECT *, " + uniform("customer_id", 3, seed) + " < 1 / (1 + exp(-(-0.6 + 4.0 * (0.45 - engagement) "
                + "+ CASE WHEN plan = 'basic' THEN 0.7 ELSE 0 END))) AS churned FROM c) ";
    }

    private static Table create(Lakehouse lake, String name, String schema) {
        String full = SCHEMA + "." + name;
        if (lake.tableExists(full)) {
            return lake.table(full);
        }
        return lake.createTable(TableDefinition.builder(full).schema(schema).build());
    }

    /**
     * Generates the data set into the raw tables (a rerun replaces their rows, as new table versions).
     *
     * @param lake the lakehouse to write to
     * @param customers how many customers
     * @param seed the seed
     * @return the number of rows written per table, in creation order
     */
    public static long[] generate(Lakehouse lake, int customers, long seed) {
        lake.createSchemaIfNotExists(SCHEMA);
        String cte = customersCte(customers, seed);
        Table customerTable = create(lake, "customers", "customer_id BIGINT NOT NULL, signup_date DATE, region STRING, plan STRING");
        Table labels = create(lake, "churn_labels", "customer_id BIGINT NOT NULL, label_time TIMESTAMP, churned INT");
        Table transactions = create(lake, "transactions", "customer_id BIGINT NOT NULL, ts TIMESTAMP, amount DOUBLE, channel STRING");
        Table clicks = create(lake, "clickstream", "customer_id BIGINT NOT NULL, ts TIMESTAMP, page STRING, duration_s DOUBLE");
        Table tickets = create(lake, "support_tickets", "customer_id BIGINT NOT NULL, ts TIMESTAMP, severity INT, resolved BOOLEAN");
        long[] counts = new long[5];
        counts[0] = customerTable.overwrite(WriteSource.query(cte + "SELECT customer_id, DATE '2023-01-01' + (" + uniform("customer_id", 5, seed)
                + " * 700)::INT AS signup_date, ['north', 'south', 'east', 'west'][1 + (" + uniform("customer_id", 6, seed)
                + " * 4)::INT % 4] AS region, plan FROM cc")).operationMetrics().getOrDefault("numOutputRows", 0L);
        counts[1] = labels.overwrite(WriteSource.query(cte + "SELECT customer_id, label_time, churned::INT AS churned FROM cc"))
                .operationMetrics().getOrDefault("numOutputRows", 0L);
        // activity: engaged customers act more; churners stop at their label time, others go on for 60 more days
        String window = "TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((u * (epoch(label_time) - epoch(TIMESTAMPTZ '2025-01-01 00:00:00+00') "
                + "+ CASE WHEN churned THEN -86400 * 20 * engagement ELSE 86400 * 60 END))::BIGINT)";
        String purchases = cte + ", t AS (SELECT cc.*, k, " + uniform("customer_id * 1000 + k", 7, seed) + " AS u, "
                + uniform("customer_id * 1000 + k", 8, seed) + " AS v FROM cc, range(0, 60) r(k) "
                + "WHERE k < 3 + (engagement * engagement * 55)::INT) "
                + "SELECT customer_id, " + window + " AS ts, CASE WHEN v < 0.02 THEN NULL ELSE round((CASE plan WHEN 'premium' THEN 80 "
                + "WHEN 'plus' THEN 45 ELSE 25 END) * (0.3 + 1.4 * v), 2) END AS amount, CASE WHEN v < 0.6 THEN 'web' ELSE 'store' END AS channel FROM t";
        counts[2] = transactions.overwrite(WriteSource.query(purchases + " WHERE v >= 0.1")).operationMetrics().getOrDefault("numOutputRows", 0L);
        // the late batch: a tenth of the purchases, delivered after the rest with their original timestamps
        counts[2] += transactions.append(WriteSource.query(purchases + " WHERE v < 0.1")).operationMetrics().getOrDefault("numOutputRows", 0L);
        counts[3] = clicks.overwrite(WriteSource.query(cte + ", t AS (SELECT cc.*, k, " + uniform("customer_id * 1000 + k", 9, seed) + " AS u, "
                + uniform("customer_id * 1000 + k", 10, seed) + " AS v FROM cc, range(0, 40) r(k) WHERE k < 2 + (engagement * 38)::INT) "
                + "SELECT customer_id, " + window + " AS ts, ['home', 'product', 'cart', 'help', 'account', 'cancel'][1 + (v * 6)::INT % 6 "
                + "+ CASE WHEN churned AND v > 0.9 THEN 0 ELSE 0 END] AS page, CASE WHEN v < 0.03 THEN NULL ELSE round(5 + 300 * u * v, 1) END "
                + "AS duration_s FROM t")).operationMetrics().getOrDefault("numOutputRows", 0L);
        counts[4] = tickets.overwrite(WriteSource.query(cte + ", t AS (SELECT cc.*, k, " + uniform("customer_id * 1000 + k", 11, seed) + " AS u, "
                + uniform("customer_id * 1000 + k", 12, seed) + " AS v FROM cc, range(0, 8) r(k) "
                + "WHERE k < ((1 - engagement) * 5 + CASE WHEN plan = 'basic' THEN 1 ELSE 0 END)::INT) "
                + "SELECT customer_id, " + window + " AS ts, 1 + (v * 3)::INT % 3 AS severity, v > 0.25 + 0.4 * (1 - engagement) AS resolved "
                + "FROM t")).operationMetrics().getOrDefault("numOutputRows", 0L);
        return counts;
    }
}
