package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/**
 * A search over the runs of one or more experiments, as MLflow's {@code search_runs}.
 *
 * <p>The filter is MLflow's grammar: clauses {@code <type>.<key> <op> <value>} joined by
 * {@code AND}, where the type is {@code metrics} ({@code metric}), {@code params}
 * ({@code param}, {@code parameters}), {@code tags} ({@code tag}), {@code attributes}
 * ({@code attr}, {@code run}) or {@code datasets} ({@code dataset}); a bare key is an attribute.
 * Metrics and {@code start_time}/{@code end_time} take {@code = != < <= > >=} and a number; params
 * and tags take {@code = != LIKE ILIKE} and a quoted string, or {@code IS [NOT] NULL}; other
 * attributes take {@code = != LIKE ILIKE}, and {@code run_id} and dataset fields also
 * {@code IN (...)} and {@code NOT IN (...)}. {@code LIKE} matches the whole value ({@code %} any
 * characters, {@code _} one, backslash escapes). A run lacking a metric, param or tag never
 * matches a clause on it (except {@code IS NULL}).
 * Kiln also accepts {@code OR} and parentheses ({@code AND} binds tighter). Examples:
 * <pre>{@code
 * metrics.auc > 0.8 and params.max_depth = '6'
 * tags.`mlflow.source.name` LIKE '%train%' AND status = 'FINISHED'
 * attributes.run_id IN ('a1...', 'b2...')
 * (params.booster = 'gbtree' OR params.booster = 'dart') AND datasets.context = 'train'
 * }</pre>
 *
 * <p>Order-by entries are {@code <type>.<key> [ASC|DESC]} (ascending by default); runs are then
 * ordered by {@code start_time DESC, run_id ASC}. Missing values and NaN sort last either way.
 *
 * @param experimentIds the experiments to search (ids or names), at least one
 * @param filter the filter, empty for all runs
 * @param orderBy the order-by entries, most significant first
 * @param maxResults the page size, 1 to {@value #MAX_RESULTS_LIMIT}
 * @param pageToken the token of the page to fetch, empty for the first page
 * @param viewType which lifecycle stages to include
 */
public record RunQuery(List<String> experimentIds, String filter, List<String> orderBy, int maxResults,
        String pageToken, ViewType viewType) {

    /** The page size when none is given, as MLflow's. */
    public static final int DEFAULT_MAX_RESULTS = 1000;
    /** The largest page size, as MLflow's. */
    public static final int MAX_RESULTS_LIMIT = 50_000;

    /**
     * Checks and copies the values.
     *
     * @param experimentIds the experiments
     * @param filter the filter
     * @param orderBy the order-by entries
     * @param maxResults the page size
     * @param pageToken the page token
     * @param viewType the view type
     * @throws InvalidArgumentException if no experiment is given or the page size is out of range
     */
    public RunQuery {
        experimentIds = List.copyOf(experimentIds);
        if (experimentIds.isEmpty()) {
            throw new InvalidArgumentException("A run search needs at least one experiment; pass its name or id.");
        }
        if (maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
            throw new InvalidArgumentException("maxResults is " + maxResults + "; pass a value from 1 to "
                    + MAX_RESULTS_LIMIT + " and page with the next page token.");
        }
        filter = filter == null ? "" : filter;
        orderBy = List.copyOf(orderBy);
        pageToken = pageToken == null ? "" : pageToken;
        viewType = viewType == null ? ViewType.ACTIVE_ONLY : viewType;
    }

    /**
     * Starts a search over experiments.
     *
     * @param experiments experiment names or ids
     * @return a builder
     */
    public static Builder builder(String... experiments) {
        return new Builder(List.of(experiments));
    }

    /**
     * Starts a search over experiments.
     *
     * @param experiments experiment names or ids
     * @return a builder
     */
    public static Builder builder(List<String> experiments) {
        return new Builder(experiments);
    }

    /**
     * Returns the same query for another page.
     *
     * @param token the page token from a previous {@link RunPage}
     * @return the query for that page
     */
    public RunQuery withPageToken(String token) {
        return new RunQuery(experimentIds, filter, orderBy, maxResults, token, viewType);
    }

    /** Builds a {@link RunQuery}. */
    public static final class Builder {
        private final List<String> experiments;
        private String filter = "";
        private final List<String> orderBy = new ArrayList<>();
        private int maxResults = DEFAULT_MAX_RESULTS;
        private String pageToken = "";
        private ViewType viewType = ViewType.ACTIVE_ONLY;

        private Builder(List<String> experiments) {
            this.experiments = List.copyOf(experiments);
        }

        /**
         * Sets the filter.
         *
         * @param filterString MLflow's filter grammar, e.g. {@code metrics.auc > 0.8}
         * @return this builder
         */
        public Builder filter(String filterString) {
            this.filter = filterString;
            return this;
        }

        /**
         * Adds order-by entries.
         *
         * @param entries entries such as {@code metrics.auc DESC} or {@code attributes.start_time}
         * @return this builder
         */
        public Builder orderBy(String... entries) {
            orderBy.addAll(List.of(entries));
            return this;
        }

        /**
         * Sets the page size.
         *
         * @param max 1 to {@value RunQuery#MAX_RESULTS_LIMIT}
         * @return this builder
         */
        public Builder maxResults(int max) {
            this.maxResults = max;
            return this;
        }

        /**
         * Sets the page to fetch.
         *
         * @param token a token from {@link RunPage#nextPageToken()}
         * @return this builder
         */
        public Builder pageToken(String token) {
            this.pageToken = token;
            return this;
        }

        /**
         * Sets which lifecycle stages to include.
         *
         * @param type the view type
         * @return this builder
         */
        public Builder viewType(ViewType type) {
            this.viewType = type;
            return this;
        }

        /**
         * Builds the query.
         *
         * @return the query
         * @throws InvalidArgumentException if no experiment is given or the page size is out of range
         */
        public RunQuery build() {
            return new RunQuery(experiments, filter, orderBy, maxResults, pageToken, viewType);
        }
    }
}
