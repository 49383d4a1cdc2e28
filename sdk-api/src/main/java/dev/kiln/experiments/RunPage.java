package dev.kiln.experiments;

import java.util.List;
import java.util.Optional;

/**
 * One page of search results.
 *
 * @param runs the runs of this page, in the requested order
 * @param nextPageToken the token that fetches the next page, or empty on the last page
 */
public record RunPage(List<RunRecord> runs, String nextPageToken) {

    /**
     * Copies the runs.
     *
     * @param runs the runs
     * @param nextPageToken the next token, or null/empty on the last page
     */
    public RunPage {
        runs = List.copyOf(runs);
        nextPageToken = nextPageToken == null ? "" : nextPageToken;
    }

    /**
     * Tells whether more results follow.
     *
     * @return true if {@link #nextPageToken()} is not empty
     */
    public boolean hasNextPage() {
        return !nextPageToken.isEmpty();
    }

    /**
     * Returns the next page token if there is one.
     *
     * @return the token, or empty on the last page
     */
    public Optional<String> next() {
        return nextPageToken.isEmpty() ? Optional.empty() : Optional.of(nextPageToken);
    }
}
