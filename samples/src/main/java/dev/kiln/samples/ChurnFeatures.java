package dev.kiln.samples;

import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureTable;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The churn feature tables: monthly snapshots per customer of purchase, engagement and support
 * behaviour, plus the customer profile. Each feature is documented where it is defined; each
 * table's definition records its SQL and the versions of the raw tables it read.
 */
public final class ChurnFeatures {
    /** The schema the feature tables live in. */
    public static final String SCHEMA = "features";

    /** Snapshot dates: the first of each month from July 2025 to January 2026. */
    static final String MONTHS = "(SELECT TIMESTAMPTZ '2025-07-01 00:00:00+00' + to_months(m::INT) AS as_of FROM range(0, 7) r(m))";

    /** One feature table: name, description, SQL, and each feature with its description. */
    record Spec(String name, String description, String sql, Map<String, String> features) {
    }

    private static Map<String, String> docs(String... pairs) {
        Map<String, String> docs = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            docs.put(pairs[i], pairs[i + 1]);
        }
        return docs;
    }

    static List<Spec> specs() {
        String r = ChurnData.SCHEMA;
        return List.of(
                new Spec("customer_purchases", "Purchase behaviour per customer, monthly snapshots",
                        "SELECT t.customer_id, m.as_of, "
                                + "count(*) FILTER (WHERE t.ts > m.as_of - INTERVAL 30 DAY)::DOUBLE AS purchases_30d, "
                                + "count(*) FILTER (WHERE t.ts > m.as_of - INTERVAL 90 DAY)::DOUBLE AS purchases_90d, "
                                + "coalesce(sum(t.amount) FILTER (WHERE t.ts > m.as_of - INTERVAL 90 DAY), 0) AS spend_90d, "
                                + "avg(t.amount) AS avg_purchase_value, "
                                + "date_diff('day', max(t.ts), m.as_of)::DOUBLE AS days_since_last_purchase, "
                                + "avg(CASE WHEN t.channel = 'web' THEN 1.0 ELSE 0.0 END) AS web_share "
                                + "FROM " + MONTHS + " m JOIN " + r + ".transactions t ON t.ts <= m.as_of GROUP BY t.customer_id, m.as_of",
                        docs("purchases_30d", "Purchases in the 30 days before the snapshot",
                                "purchases_90d", "Purchases in the 90 days before the snapshot",
                                "spend_90d", "Money spent in the 90 days before the snapshot (missing amounts count as 0)",
                                "avg_purchase_value", "Average purchase value over the customer's whole history (missing amounts ignored)",
                                "days_since_last_purchase", "Days from the last purchase to the snapshot",
                                "web_share", "Share of purchases made on the web rather than in store")),
                new Spec("customer_engagement", "Web engagement per customer, monthly snapshots",
                        "SELECT k.customer_id, m.as_of, "
                                + "count(*) FILTER (WHERE k.ts > m.as_of - INTERVAL 30 DAY)::DOUBLE AS visits_30d, "
                                + "count(*) FILTER (WHERE k.ts > m.as_of - INTERVAL 90 DAY)::DOUBLE AS visits_90d, "
                                + "avg(k.duration_s) AS avg_session_s, "
                                + "date_diff('day', max(k.ts), m.as_of)::DOUBLE AS days_since_last_visit, "
                                + "avg(CASE WHEN k.page = 'help' THEN 1.0 ELSE 0.0 END) AS help_page_share, "
                                + "count(*) FILTER (WHERE k.page = 'cancel' AND k.ts > m.as_of - INTERVAL 90 DAY)::DOUBLE AS cancel_page_visits_90d "
                                + "FROM " + MONTHS + " m JOIN " + r + ".clickstream k ON k.ts <= m.as_of GROUP BY k.customer_id, m.as_of",
                        docs("visits_30d", "Page views in the 30 days before the snapshot",
                                "visits_90d", "Page views in the 90 days before the snapshot",
                                "avg_session_s", "Average time on a page, in seconds (missing durations ignored)",
                                "days_since_last_visit", "Days from the last page view to the snapshot",
                                "help_page_share", "Share of page views on help pages",
                                "cancel_page_visits_90d", "Views of the cancellation page in the 90 days before the snapshot")),
                new Spec("customer_support", "Support interactions per customer, monthly snapshots",
                        "SELECT s.customer_id, m.as_of, "
                                + "count(*) FILTER (WHERE s.ts > m.as_of - INTERVAL 90 DAY)::DOUBLE AS support_interactions_90d, "
                                + "count(*) FILTER (WHERE s.ts > m.as_of - INTERVAL 90 DAY AND s.severity = 3)::DOUBLE AS severe_tickets_90d, "
                                + "count(*) FILTER (WHERE NOT s.resolved)::DOUBLE AS unresolved_tickets, "
                                + "date_diff('day', max(s.ts), m.as_of)::DOUBLE AS days_since_last_ticket "
                                + "FROM " + MONTHS + " m JOIN " + r + ".support_tickets s ON s.ts <= m.as_of GROUP BY s.customer_id, m.as_of",
                        docs("support_interactions_90d", "Support tickets opened in the 90 days before the snapshot",
                                "severe_tickets_90d", "Severity-3 tickets in the 90 days before the snapshot",
                                "unresolved_tickets", "Tickets never resolved, over the whole history",
                                "days_since_last_ticket", "Days from the last ticket to the snapshot")),
                new Spec("customer_profile", "Customer profile, as of sign-up",
                        "SELECT customer_id, signup_date::TIMESTAMPTZ AS as_of, "
                                + "CASE plan WHEN 'basic' THEN 0.0 WHEN 'plus' THEN 1.0 ELSE 2.0 END AS plan_tier, "
                                + "CASE region WHEN 'north' THEN 0.0 WHEN 'south' THEN 1.0 WHEN 'east' THEN 2.0 ELSE 3.0 END AS region_code, "
                                + "date_diff('day', signup_date, DATE '2025-01-01')::DOUBLE AS tenure_days_at_2025 "
                                + "FROM " + r + ".customers",
                        docs("plan_tier", "Plan: 0 basic, 1 plus, 2 premium",
                                "region_code", "Region: 0 north, 1 south, 2 east, 3 west",
                                "tenure_days_at_2025", "Days from sign-up to 2025-01-01")));
    }

    /**
     * Creates the feature tables, or on a rerun merges fresh values into them (new versions).
     *
     * @param store the feature store
     * @return the feature tables
     */
    public static List<FeatureTable> build(FeatureStore store) {
        List<FeatureTable> tables = new java.util.ArrayList<>();
        for (Spec spec : specs()) {
            String name = SCHEMA + "." + spec.name();
            if (store.find(name).isPresent()) {
                FeatureTable table = store.table(name);
                table.merge(WriteSource.query(spec.sql()));
                tables.add(table);
                continue;
            }
            FeatureTableDefinition.Builder definition = FeatureTableDefinition.builder(name).primaryKeys("customer_id")
                    .timestampKey("as_of").description(spec.description()).owner("quickstart").tag("domain", "churn");
            spec.features().forEach(definition::featureDescription);
            tables.add(store.createTable(definition.build(), spec.sql()));
        }
        return tables;
    }
}
