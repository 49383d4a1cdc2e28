package dev.kiln.experiments;

import static dev.kiln.experiments.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunSearchTest {

    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
    private final RunSearch search = new RunSearch(new PageTokens(KEY));

    private static List<RunRecord> numbered(int n) {
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Runs r = run(String.format("r%03d", i)).start(i);
            if (i % 10 != 3) {
                r.metric("auc", (i * 37 % 100) / 100.0);
            }
            if (i % 2 == 0) {
                r.param("even", "yes");
            }
            if (i % 17 == 5) {
                r.deleted();
            }
            runs.add(r.build());
        }
        return runs;
    }

    private static List<String> ids(RunPage page) {
        return page.runs().stream().map(RunRecord::runId).toList();
    }

    @Test
    void pagesCoverEveryMatchOnceInOrder() {
        List<RunRecord> runs = numbered(95);
        RunQuery query = RunQuery.builder("e").filter("params.even = 'yes'").orderBy("metrics.auc DESC").maxResults(10).build();
        List<String> seen = new ArrayList<>();
        RunPage page = search.search(query, runs);
        int pages = 1;
        seen.addAll(ids(page));
        while (page.hasNextPage()) {
            page = search.search(query.withPageToken(page.nextPageToken()), runs);
            seen.addAll(ids(page));
            pages++;
        }
        Comparator<RunRecord> order = RunOrdering.of(List.of("metrics.auc DESC"));
        List<String> expected = runs.stream()
                .filter(r -> r.info().lifecycleStage() == LifecycleStage.ACTIVE && "yes".equals(r.data().params().get("even")))
                .sorted(order).map(RunRecord::runId).toList();
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo((expected.size() + 9) / 10);
        assertThat(page.next()).isEmpty();
    }

    @Test
    void exactMultipleHasNoEmptyLastPage() {
        List<RunRecord> runs = numbered(20).stream().filter(r -> r.info().lifecycleStage() == LifecycleStage.ACTIVE).toList();
        RunQuery query = RunQuery.builder("e").maxResults(runs.size()).build();
        RunPage page = search.search(query, runs);
        assertThat(page.runs()).hasSize(runs.size());
        assertThat(page.hasNextPage()).isFalse();
    }

    @Test
    void defaultOrderWhenNoOrderBy() {
        RunPage page = search.search(RunQuery.builder("e").maxResults(3).build(), numbered(10));
        assertThat(ids(page)).containsExactly("r009", "r008", "r007");
    }

    @Test
    void viewTypes() {
        List<RunRecord> runs = numbered(40);
        assertThat(ids(search.search(RunQuery.builder("e").viewType(ViewType.DELETED_ONLY).build(), runs)))
                .containsExactly("r039", "r022", "r005");
        assertThat(search.search(RunQuery.builder("e").viewType(ViewType.ALL).build(), runs).runs()).hasSize(40);
        assertThat(search.search(RunQuery.builder("e").build(), runs).runs()).hasSize(37);
    }

    @Test
    void emptyResult() {
        RunPage page = search.search(RunQuery.builder("e").filter("metrics.auc > 2").build(), numbered(10));
        assertThat(page.runs()).isEmpty();
        assertThat(page.nextPageToken()).isEmpty();
    }

    @Test
    void tamperedTokensAreRefused() {
        List<RunRecord> runs = numbered(30);
        RunQuery query = RunQuery.builder("e").maxResults(5).build();
        String token = search.search(query, runs).nextPageToken();
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        bytes[4] ^= 1;
        String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        for (String bad : List.of(altered, "not a token!", "AAAA", token + "x", token.substring(1))) {
            assertThatThrownBy(() -> search.search(query.withPageToken(bad), runs))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("Invalid page token");
        }
        RunSearch otherKey = new RunSearch(new PageTokens("another-key-of-16-bytes".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> otherKey.search(query.withPageToken(token), runs))
                .hasMessageContaining("Invalid page token");
    }

    @Test
    void tokenOfAnotherQueryIsRefused() {
        List<RunRecord> runs = numbered(30);
        RunQuery query = RunQuery.builder("e").maxResults(5).build();
        String token = search.search(query, runs).nextPageToken();
        for (RunQuery other : List.of(RunQuery.builder("e").filter("metrics.auc > 0").build(),
                RunQuery.builder("f").build(), RunQuery.builder("e").orderBy("run_id").build(),
                RunQuery.builder("e").viewType(ViewType.ALL).build())) {
            assertThatThrownBy(() -> search.search(other.withPageToken(token), runs))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("another search");
        }
        // the page size may change between pages, as in MLflow
        assertThat(search.search(RunQuery.builder("e").maxResults(7).pageToken(token).build(), runs).runs()).hasSize(7);
    }

    @Test
    void tokensSurviveANewEvaluatorWithTheSameKey() {
        List<RunRecord> runs = numbered(30);
        RunQuery query = RunQuery.builder("e").maxResults(5).build();
        String token = search.search(query, runs).nextPageToken();
        RunPage second = new RunSearch(new PageTokens(KEY)).search(query.withPageToken(token), runs);
        assertThat(ids(second)).containsExactly("r024", "r023", "r021", "r020", "r019");
    }

    @Test
    void badFilterOrOrderIsRefusedBeforeRunning() {
        assertThatThrownBy(() -> search.validate(RunQuery.builder("e").filter("metrics.auc >").build()))
                .isInstanceOf(InvalidFilterException.class);
        assertThatThrownBy(() -> search.search(RunQuery.builder("e").orderBy("metrics.auc UP").build(), List.of()))
                .isInstanceOf(InvalidFilterException.class);
    }

    @Test
    void queryLimits() {
        assertThatThrownBy(() -> RunQuery.builder("e").maxResults(0).build()).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> RunQuery.builder("e").maxResults(50_001).build()).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> RunQuery.builder().build()).isInstanceOf(InvalidArgumentException.class);
        assertThat(RunQuery.builder("e").build().maxResults()).isEqualTo(1000);
    }

    @Test
    void topKSelectionEqualsAFullSort() {
        Random random = new Random(42);
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Runs r = run(Integer.toHexString(random.nextInt())).start(random.nextInt(50));
            int kind = random.nextInt(10);
            if (kind > 1) {
                r.metric("auc", random.nextInt(20) / 20.0);
            } else if (kind == 1) {
                r.metric("auc", Double.NaN);
            }
            runs.add(r.build());
        }
        Comparator<RunRecord> order = RunOrdering.of(List.of("metrics.auc DESC"));
        List<RunRecord> sorted = runs.stream().sorted(order).toList();
        for (int offset : new int[] {0, 1, 99, 4900, 4999, 5000}) {
            RunSearch.Selection s = RunSearch.select(runs, RunPredicate.ALL, order, offset, 100);
            assertThat(s.runs()).containsExactlyElementsOf(sorted.subList(Math.min(offset, 5000), Math.min(offset + 100, 5000)));
            assertThat(s.hasMore()).isEqualTo(offset + 100 < 5000);
        }
    }

    /** The benchmark, as a smoke test: 100k runs, two clauses, top 100 by a metric. */
    @Test
    void searches100kRunsWellUnder100ms() {
        Random random = new Random(1);
        List<RunRecord> runs = new ArrayList<>(100_000);
        String[] depths = {"3", "4", "5", "6", "7", "8"};
        for (int i = 0; i < 100_000; i++) {
            runs.add(run(String.format("%032x", i)).start(1_700_000_000_000L + i)
                    .metric("auc", random.nextDouble()).metric("logloss", random.nextDouble())
                    .metric("accuracy", random.nextDouble())
                    .param("max_depth", depths[random.nextInt(depths.length)]).param("eta", "0.1")
                    .param("booster", "gbtree").tag("mlflow.user", "alice").build());
        }
        RunQuery query = RunQuery.builder("e").filter("metrics.auc > 0.8 and params.max_depth = '6'")
                .orderBy("metrics.auc DESC").maxResults(100).build();
        long best = Long.MAX_VALUE;
        RunPage page = null;
        for (int i = 0; i < 15; i++) {
            long t0 = System.nanoTime();
            page = search.search(query, runs);
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertThat(page.runs()).hasSize(100);
        assertThat(page.runs().get(0).data().metrics().get("auc")).isGreaterThan(page.runs().get(99).data().metrics().get("auc"));
        System.out.printf("search over 100k runs: best %.2f ms%n", best / 1e6);
        assertThat(best / 1e6).isLessThan(100);
    }
}
