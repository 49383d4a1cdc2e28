package dev.kiln.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.InvalidArgumentException;
import dev.kiln.experiments.FilterExpr.Comparison;
import dev.kiln.experiments.FilterExpr.ListLiteral;
import dev.kiln.experiments.FilterExpr.NumberLiteral;
import dev.kiln.experiments.FilterExpr.StringLiteral;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {

    private static Comparison single(String filter) {
        FilterExpr e = FilterParser.parse(filter);
        assertThat(e).isInstanceOf(Comparison.class);
        return (Comparison) e;
    }

    @Test
    void emptyFilterMatchesAll() {
        assertThat(FilterParser.parse("")).isInstanceOf(FilterExpr.MatchAll.class);
        assertThat(FilterParser.parse("   ")).isInstanceOf(FilterExpr.MatchAll.class);
        assertThat(FilterParser.parse(null)).isInstanceOf(FilterExpr.MatchAll.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.auc > 0.8|METRIC|auc",
        "metric.auc > 0.8|METRIC|auc",
        "params.depth = '6'|PARAM|depth",
        "param.depth = '6'|PARAM|depth",
        "parameters.depth = '6'|PARAM|depth",
        "parameter.depth = '6'|PARAM|depth",
        "tags.team = 'a'|TAG|team",
        "tag.team = 'a'|TAG|team",
        "attributes.status = 'FINISHED'|ATTRIBUTE|status",
        "attribute.status = 'FINISHED'|ATTRIBUTE|status",
        "attr.status = 'FINISHED'|ATTRIBUTE|status",
        "run.status = 'FINISHED'|ATTRIBUTE|status",
        "status = 'FINISHED'|ATTRIBUTE|status",
        "datasets.name = 'sales.orders'|DATASET|name",
        "dataset.context = 'train'|DATASET|context",
        "datasets.digest = 'abc'|DATASET|digest",
        "METRICS.auc > 0.8|METRIC|auc",
        "`metrics`.auc > 0.8|METRIC|auc",
        "metrics.train.loss < 1|METRIC|train.loss",
        "metrics.`my metric` < 1|METRIC|my metric",
        "metrics.\"my-metric\" < 1|METRIC|my-metric",
        "tags.`mlflow.source.name` = 'x'|TAG|mlflow.source.name",
        "tags.mlflow.source.name = 'x'|TAG|mlflow.source.name",
        "params.1st = 'x'|PARAM|1st",
        "params.\"m\"!=\"tf\"|PARAM|m",
        "metrics.\"X//Y#$$@&Z\" = 3|METRIC|X//Y#$$@&Z",
        "metrics.\"accuracy.2.0\" > 5|METRIC|accuracy.2.0",
        "`params`.model = 'LR'|PARAM|model",
        "`tags`.source_name = 'a notebook'|TAG|source_name",
        "created > 5|ATTRIBUTE|start_time",
        "attributes.Created > 5|ATTRIBUTE|start_time",
        "`Run name` = 'x'|ATTRIBUTE|run_name",
        "attributes.`run name` = 'x'|ATTRIBUTE|run_name",
        "run_id = 'x'|ATTRIBUTE|run_id",
        "run_name = 'x'|ATTRIBUTE|run_name",
        "user_id = 'x'|ATTRIBUTE|user_id",
        "artifact_uri = 'x'|ATTRIBUTE|artifact_uri",
        "start_time >= 1|ATTRIBUTE|start_time",
        "end_time <= 1|ATTRIBUTE|end_time",
    })
    void resolvesEntityTypesAndKeys(String filter, EntityType type, String key) {
        Comparison c = single(filter);
        assertThat(c.type()).isEqualTo(type);
        assertThat(c.key()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.a = 1|EQ", "metrics.a != 1|NE", "metrics.a < 1|LT", "metrics.a <= 1|LE",
        "metrics.a > 1|GT", "metrics.a >= 1|GE",
        "params.a LIKE 'x'|LIKE", "params.a like 'x'|LIKE", "params.a ILIKE 'x'|ILIKE", "params.a iLike 'x'|ILIKE",
        "params.a = 'x'|EQ", "params.a != 'x'|NE", "tags.a LIKE 'x'|LIKE",
        "run_id IN ('a')|IN", "run_id in ('a', 'b')|IN", "run_id NOT IN ('a')|NOT_IN", "run_id not in ('a')|NOT_IN",
        "datasets.name IN ('a')|IN", "datasets.digest NOT IN ('a')|NOT_IN", "datasets.context ILIKE 'T%'|ILIKE",
        "status LIKE 'F%'|LIKE", "start_time != 3|NE",
        "params.a IS NULL|IS_NULL", "tags.a is not null|IS_NOT_NULL", "params.a IS NOT NULL|IS_NOT_NULL",
    })
    void readsEveryOperator(String filter, CompareOp op) {
        assertThat(single(filter).op()).isEqualTo(op);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.a > 0.8|0.8", "metrics.a > 1|1", "metrics.a > -1|-1", "metrics.a > +2.5|2.5",
        "metrics.a > .5|0.5", "metrics.a > 5.|5", "metrics.a > 1e3|1000", "metrics.a > 1.5E-2|0.015",
        "metrics.a>0.8|0.8",
    })
    void readsNumbers(String filter, double value) {
        assertThat(((NumberLiteral) single(filter).value()).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "params.a = 'x'|x", "params.a = \"x\"|x", "params.a = ''|''", "params.a = 'it''s'|it's",
        "params.a = 'it\\'s'|it's", "params.a = \"say \"\"hi\"\"\"|say \"hi\"", "params.a = 'a b'|a b",
        "params.a LIKE 'a\\_b'|a\\_b", "params.a = 'a\\\\'|a\\\\",
    })
    void readsStrings(String filter, String value) {
        assertThat(((StringLiteral) single(filter).value()).value()).isEqualTo(value.equals("''") ? "" : value);
    }

    @Test
    void readsLists() {
        Comparison c = single("attributes.run_id IN ('a', \"b\",'c')");
        assertThat(((ListLiteral) c.value()).values()).containsExactly("a", "b", "c");
    }

    @Test
    void andBindsTighterThanOr() {
        FilterExpr e = FilterParser.parse("metrics.a > 1 and params.b = 'x' or tags.c = 'y'");
        assertThat(e).isInstanceOf(FilterExpr.Or.class);
        List<FilterExpr> terms = ((FilterExpr.Or) e).terms();
        assertThat(terms.get(0)).isInstanceOf(FilterExpr.And.class);
        assertThat(terms.get(1)).isInstanceOf(Comparison.class);
    }

    @Test
    void parenthesesGroup() {
        FilterExpr e = FilterParser.parse("metrics.a > 1 AND (params.b = 'x' OR ((tags.c = 'y')))");
        assertThat(e).isInstanceOf(FilterExpr.And.class);
        assertThat(((FilterExpr.And) e).terms().get(1)).isInstanceOf(FilterExpr.Or.class);
    }

    @Test
    void mlflowStyleConjunctionIsFlat() {
        FilterExpr e = FilterParser.parse("metrics.a > 1 AND params.b = 'x' AND tags.c = 'y'");
        assertThat(((FilterExpr.And) e).terms()).hasSize(3);
    }

    @Test
    void comparisonRecordsItsPosition() {
        FilterExpr.And e = (FilterExpr.And) FilterParser.parse("metrics.a > 1 and params.b = 'x'");
        assertThat(((Comparison) e.terms().get(1)).position()).isEqualTo(18);
    }

    private static void assertError(String filter, int position, String expected) {
        assertThatThrownBy(() -> FilterParser.parse(filter))
                .isInstanceOf(InvalidFilterException.class)
                .isInstanceOf(InvalidArgumentException.class)
                .satisfies(t -> {
                    InvalidFilterException e = (InvalidFilterException) t;
                    assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
                    assertThat(e.expected()).as(e.getMessage()).contains(expected);
                    assertThat(e.input()).isEqualTo(filter);
                    assertThat(e.getMessage()).contains("at position " + position).contains(expected);
                });
    }

    @Test
    void errorsNameThePositionAndTheExpectedToken() {
        assertError("metrics.auc 0.5", 12, "a comparison operator");
        assertError("metrics.auc == 0.5", 12, "a comparison operator");
        assertError("metrics.auc <> 0.5", 12, "a comparison operator");
        assertError("metrics.auc > ", 14, "a number");
        assertError("metrics.auc > '0.5'", 14, "a number");
        assertError("metrics.auc LIKE '0.5'", 12, "one of =, !=, <, <=, >, >=");
        assertError("metrics.auc IN ('1')", 12, "one of =, !=, <, <=, >, >=");
        assertError("params.depth = 6", 15, "a quoted string");
        assertError("params.depth > '6'", 13, "one of =, !=, LIKE, ILIKE");
        assertError("tags.t < 'x'", 7, "one of =, !=, LIKE, ILIKE");
        assertError("params.depth IN ('6')", 13, "one of =, !=, LIKE, ILIKE");
        assertError("status IN ('FINISHED')", 7, "one of =, !=, LIKE, ILIKE");
        assertError("start_time > 'x'", 13, "a number");
        assertError("start_time LIKE '1%'", 11, "one of =, !=, <, <=, >, >=");
        assertError("run_id > 'a'", 7, "one of =, !=, LIKE, ILIKE, IN, NOT IN");
        assertError("run_id IN 'a'", 10, "'('");
        assertError("run_id IN ()", 11, "a quoted string (the list cannot be empty)");
        assertError("run_id IN ('a' 'b')", 15, "',' or ')'");
        assertError("run_id IN ('a', )", 16, "a quoted string after ','");
        assertError("run_id IN ('a', 1)", 16, "a quoted string after ','");
        assertError("run_id NOT ('a')", 11, "IN after NOT");
        assertError("foo.bar > 1", 0, "an entity type");
        assertError("auc > 1", 0, "an attribute key");
        assertError("attributes.foo = 'x'", 11, "an attribute key");
        assertError("datasets.version = '1'", 9, "a dataset field");
        assertError("metrics. > 1", 8, "a key after '.'");
        assertError("metrics.auc > 1 and", 19, "a comparison");
        assertError("and metrics.auc > 1", 0, "a comparison");
        assertError("metrics.auc > 1 params.a = 'x'", 16, "AND, OR or the end of the filter");
        assertError("metrics.auc > 1 && params.a = 'x'", 16, "a key, an operator, a value");
        assertError("(metrics.auc > 1", 16, "')' to close the '(' at position 0");
        assertError("metrics.auc > 1)", 15, "AND, OR or the end of the filter");
        assertError("()", 1, "a comparison");
        assertError("params.a = 'abc", 15, "a closing '");
        assertError("params.`abc = 'x'", 17, "a closing `");
        assertError("params.a = 'x' ; drop", 15, "a key, an operator, a value");
        assertError("metrics.a > 1x", 13, "an operator, AND, OR or ')' after the number");
        assertError("metrics.a > 1 AND metrics.b", 27, "a comparison operator");
        assertError("metrics.acc IS NULL", 12, "one of =, !=, <, <=, >, >=");
        assertError("status IS NULL", 7, "one of =, !=, LIKE, ILIKE");
        assertError("datasets.name IS NOT NULL", 14, "one of =, !=, LIKE, ILIKE, IN, NOT IN");
        assertError("params.a IS 'x'", 12, "NULL or NOT NULL after IS");
        assertError("params.a IS NOT 'x'", 16, "NULL after IS NOT");
        assertError("params.a IS NULL 'x'", 17, "AND, OR or the end of the filter");
        assertError("1.0 > metrics.acc", 0, "a comparison");
        assertError("metrics.acc != metrics.acc", 15, "a number");
        assertError("params.acc = `LR`", 13, "a quoted string");
        assertError("tags.acc = = 'LR'", 11, "a quoted string");
        assertError("params.acc LR", 11, "a comparison operator");
        assertError("metrics.abc ~ 1", 12, "a comparison operator");
        assertError("attribute.status = true", 19, "a quoted string");
        assertError("attribute.experiment_id = '1'", 10, "an attribute key");
        // the first problem in reading order is reported
        assertError("metrics.auc 0.5 ; x", 12, "a comparison operator");
        assertError("metrics.auc > 0.5 x ;", 18, "AND, OR or the end of the filter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.auc DESC", "metrics.auc desc", "attributes.start_time", "params.depth ASC",
        "tags.`a b` DESC", "created", "run_name", "status DESC", "metrics.auc DESC, params.d"})
    void parsesOrderBy(String entry) {
        assertThat(FilterParser.parseOrderBy(entry)).isNotEmpty();
    }

    @Test
    void orderByKeysAndDirections() {
        List<OrderKey> keys = FilterParser.parseOrderBy(List.of("metrics.auc DESC", "attributes.start_time",
                "params.a ASC, `Created` desc"));
        assertThat(keys).containsExactly(
                new OrderKey(EntityType.METRIC, "auc", false),
                new OrderKey(EntityType.ATTRIBUTE, "start_time", true),
                new OrderKey(EntityType.PARAM, "a", true),
                new OrderKey(EntityType.ATTRIBUTE, "start_time", false));
    }

    @Test
    void orderByErrors() {
        assertOrderError("", 0, "a key to order by");
        assertOrderError("metrics.auc DOWN", 12, "ASC, DESC, ',' or the end");
        assertOrderError("metrics.auc DESC DESC", 17, "ASC, DESC, ',' or the end");
        assertOrderError("datasets.name", 0, "datasets cannot be ordered by");
        assertOrderError("nope", 0, "an attribute key");
        assertOrderError("metrics.auc,", 12, "a key to order by");
        assertOrderError("'metrics.auc'", 0, "a key to order by");
    }

    private static void assertOrderError(String entry, int position, String expected) {
        assertThatThrownBy(() -> FilterParser.parseOrderBy(entry))
                .isInstanceOf(InvalidFilterException.class)
                .satisfies(t -> {
                    InvalidFilterException e = (InvalidFilterException) t;
                    assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
                    assertThat(e.expected()).as(e.getMessage()).contains(expected);
                });
    }

    @Test
    void nestingIsBounded() {
        String ok = "(".repeat(FilterParser.MAX_DEPTH) + "metrics.a > 1" + ")".repeat(FilterParser.MAX_DEPTH);
        assertThat(FilterParser.parse(ok)).isInstanceOf(Comparison.class);
        String deep = "(".repeat(10_000) + "metrics.a > 1" + ")".repeat(10_000);
        assertThatThrownBy(() -> FilterParser.parse(deep)).isInstanceOf(InvalidFilterException.class)
                .satisfies(e -> assertThat(((InvalidFilterException) e).position()).isEqualTo(FilterParser.MAX_DEPTH));
    }

    @Test
    void symbolsInBareKeysSuggestBackticks() {
        assertThatThrownBy(() -> FilterParser.parse("metrics.my-metric > 1"))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageContaining("at position 10")
                .hasMessageContaining("metrics.`my-metric`");
    }

    @Test
    void messageShowsACaret() {
        assertThatThrownBy(() -> FilterParser.parse("metrics.auc x 0.5"))
                .hasMessageContaining("expected a comparison operator")
                .hasMessageContaining("at position 12, found 'x'")
                .hasMessageContaining("\n  metrics.auc x 0.5\n              ^");
    }
}
