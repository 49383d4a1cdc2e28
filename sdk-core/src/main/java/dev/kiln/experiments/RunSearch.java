package dev.kiln.experiments;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Evaluates run searches over plain {@link RunRecord}s: filter (compiled once per filter text and
 * cached), lifecycle view, order with top-k selection (a bounded heap, not a full sort), and
 * offset pagination with signed tokens. Storage-independent: callers hand it the candidate runs of
 * the searched experiments.
 */
public final class RunSearch {

    private final PageTokens tokens;
    private final Cache<String, RunPredicate> filters = Caffeine.newBuilder().maximumSize(256).build();
    private final Cache<List<String>, Comparator<RunRecord>> orders = Caffeine.newBuilder().maximumSize(256).build();

    /**
     * Creates an evaluator.
     *
     * @param tokens the page-token codec
     */
    public RunSearch(PageTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * Checks a query's filter and order without running it.
     *
     * @param query the query
     * @throws InvalidFilterException if the filter or an order-by entry is malformed
     */
    public void validate(RunQuery query) {
        predicate(query.filter());
        ordering(query.orderBy());
    }

    /**
     * Runs a search.
     *
     * @param query the query; its experiments must already be resolved by the caller
     * @param candidates the runs of the searched experiments (any lifecycle stage)
     * @return the page and the next page's token
     * @throws InvalidFilterException if the filter or order is malformed
     * @throws dev.kiln.InvalidArgumentException if the page token is malformed or foreign
     */
    public RunPage search(RunQuery query, Iterable<RunRecord> candidates) {
        RunPredicate predicate = predicate(query.filter());
        Comparator<RunRecord> order = ordering(query.orderBy());
        long fingerprint = PageTokens.fingerprint(query);
        int offset = tokens.decode(query.pageToken(), fingerprint);
        ViewType view = query.viewType();
        Selection selection = select(candidates,
                view == ViewType.ALL ? predicate : r -> view.includes(r.info().lifecycleStage()) && predicate.test(r),
                order, offset, query.maxResults());
        String next = selection.hasMore() ? tokens.encode(offset + query.maxResults(), fingerprint) : "";
        return new RunPage(selection.runs(), next);
    }

    private RunPredicate predicate(String filter) {
        return filters.get(filter, RunPredicate::compile);
    }

    private Comparator<RunRecord> ordering(List<String> orderBy) {
        return orders.get(orderBy, RunOrdering::of);
    }

    /**
     * The runs of one page and whether more follow.
     *
     * @param runs the page
     * @param hasMore true if runs match beyond the page
     */
    public record Selection(List<RunRecord> runs, boolean hasMore) {
    }

    /**
     * Selects the runs at {@code [offset, offset + limit)} of the matching runs in order, keeping
     * at most {@code offset + limit} runs in a heap.
     *
     * @param runs the candidates
     * @param predicate the filter
     * @param order the order
     * @param offset how many matching runs to skip
     * @param limit the page size
     * @return the page and whether more runs match
     */
    public static Selection select(Iterable<RunRecord> runs, RunPredicate predicate, Comparator<RunRecord> order,
            int offset, int limit) {
        long wanted = (long) offset + limit;
        int capacity = (int) Math.min(wanted, Integer.MAX_VALUE - 8);
        Comparator<RunRecord> reversed = order.reversed();
        PriorityQueue<RunRecord> heap = new PriorityQueue<>(Math.min(capacity, 1024) + 1, reversed);
        long matched = 0;
        for (RunRecord r : runs) {
            if (!predicate.test(r)) {
                continue;
            }
            matched++;
            if (heap.size() < capacity) {
                heap.add(r);
            } else if (order.compare(r, heap.peek()) < 0) {
                heap.poll();
                heap.add(r);
            }
        }
        List<RunRecord> top = new ArrayList<>(heap);
        top.sort(order);
        List<RunRecord> page = offset >= top.size() ? List.of() : top.subList(offset, top.size());
        return new Selection(List.copyOf(page), matched > wanted);
    }
}
