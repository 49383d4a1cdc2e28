package dev.kiln.experiments;

import static dev.kiln.experiments.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunPredicateTest {

    private static final RunRecord A = run("aaa1").name("alpha").status(RunStatus.FINISHED).start(1000).end(5000L)
            .user("alice").metric("auc", 0.9).metric("loss", 0.1).metric("nan", Double.NaN).metric("neg", -2)
            .param("max_depth", "6").param("booster", "gbtree").param("my key", "v")
            .tag("team", "Risk").tag("mlflow.source.name", "train.py")
            .input("sales.orders", 3, "train").input("sales.holdout", 1, "eval").build();
    private static final RunRecord B = run("bbb2").name("beta").status(RunStatus.FAILED).start(2000).end(null)
            .user("bob").metric("auc", 0.7).param("max_depth", "8").tag("team", "growth").build();

    private static List<String> matching(String filter) {
        RunPredicate p = RunPredicate.compile(filter);
        return List.of(A, B).stream().filter(p::test).map(RunRecord::runId).toList();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|aaa1 bbb2",
        // metrics: every numeric operator, missing never matches
        "metrics.auc > 0.8|aaa1", "metrics.auc >= 0.9|aaa1", "metrics.auc < 0.9|bbb2", "metrics.auc <= 0.9|aaa1 bbb2",
        "metrics.auc = 0.7|bbb2", "metrics.auc != 0.7|aaa1", "metric.loss < 1|aaa1", "metrics.loss != 5|aaa1",
        "metrics.missing != 1|''", "metrics.neg < -1|aaa1", "metrics.auc > 7e-1|aaa1",
        // NaN: only != holds
        "metrics.nan = 0|''", "metrics.nan > 0|''", "metrics.nan < 0|''", "metrics.nan != 0|aaa1",
        // params and tags: = != LIKE ILIKE, missing never matches
        "params.max_depth = '6'|aaa1", "params.max_depth != '6'|bbb2", "params.booster != 'dart'|aaa1",
        "params.booster LIKE 'gb%'|aaa1", "params.booster LIKE 'GB%'|''", "params.booster ILIKE 'GB%'|aaa1",
        "params.`my key` = 'v'|aaa1", "params.\"my key\" = 'v'|aaa1", "parameters.max_depth = \"8\"|bbb2",
        "tags.team = 'Risk'|aaa1", "tags.team = 'risk'|''", "tags.team ILIKE 'risk'|aaa1", "tags.team LIKE '%o%'|bbb2",
        "tags.`mlflow.source.name` LIKE '%.py'|aaa1", "tags.mlflow.source.name = 'train.py'|aaa1",
        "tag.team != 'Risk'|bbb2",
        // string attributes
        "attributes.status = 'FINISHED'|aaa1", "status != 'FINISHED'|bbb2", "run.status LIKE 'FAIL%'|bbb2",
        "attr.status ILIKE 'failed'|bbb2", "run_name = 'alpha'|aaa1", "`Run name` = 'beta'|bbb2",
        "user_id = 'bob'|bbb2", "artifact_uri LIKE '%/aaa1'|aaa1",
        "run_id = 'aaa1'|aaa1", "run_id IN ('aaa1', 'zzz')|aaa1", "run_id NOT IN ('aaa1')|bbb2",
        "attributes.run_id IN ('aaa1','bbb2')|aaa1 bbb2", "run_id LIKE 'b%'|bbb2",
        // time attributes: numeric, end_time missing while running
        "start_time > 1500|bbb2", "created < 1500|aaa1", "attributes.start_time = 1000|aaa1", "start_time != 1000|bbb2",
        "end_time > 0|aaa1", "end_time != 1|aaa1", "end_time <= 5000|aaa1", "start_time >= 1000|aaa1 bbb2",
        // datasets: any input matches
        "datasets.name = 'sales.orders'|aaa1", "datasets.context = 'eval'|aaa1", "datasets.context = 'test'|''",
        "datasets.name LIKE 'sales.%'|aaa1", "datasets.name IN ('sales.holdout')|aaa1",
        "datasets.name NOT IN ('sales.orders')|aaa1", "datasets.name != 'x'|aaa1",
        // IS NULL / IS NOT NULL for params and tags
        "params.booster IS NOT NULL|aaa1", "params.booster IS NULL|bbb2", "tags.team IS NULL|''",
        "tags.`mlflow.source.name` is null|bbb2", "params.max_depth IS NOT NULL AND params.booster IS NULL|bbb2",
        // AND (MLflow) and OR / parentheses (Kiln)
        "metrics.auc > 0.8 and params.max_depth = '6'|aaa1", "metrics.auc > 0.8 AND params.max_depth = '8'|''",
        "metrics.auc > 0.8 or params.max_depth = '8'|aaa1 bbb2", "tags.team = 'x' OR run_id = 'bbb2'|bbb2",
        "(metrics.auc > 0.8 or metrics.auc < 0.75) and status = 'FAILED'|bbb2",
        "metrics.auc > 0.8 or metrics.auc < 0.75 and status = 'FAILED'|aaa1 bbb2",
        "(status = 'FAILED')|bbb2",
    })
    void matches(String filter, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertThat(matching(filter)).as(filter).containsExactlyElementsOf(want);
    }

    @Test
    void mlflowExampleFromTheDocs() {
        assertThat(matching("metrics.auc > 0.8 and params.max_depth = '6'")).containsExactly("aaa1");
    }

    @Test
    void digestIsDerivedFromNameAndVersion() {
        String digest = DatasetInput.of("sales.orders", 3, "train").digest();
        assertThat(digest).hasSize(8).isEqualTo(DatasetInput.of("sales.orders", 3, "eval").digest())
                .isNotEqualTo(DatasetInput.of("sales.orders", 4, "train").digest());
        assertThat(matching("datasets.digest = '" + digest + "'")).containsExactly("aaa1");
    }
}
