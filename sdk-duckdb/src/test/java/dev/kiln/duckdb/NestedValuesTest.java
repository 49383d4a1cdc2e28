package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.SchemaMismatchException;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java rows with list, map and struct values, which the appender stages as JSON text. */
class NestedValuesTest {
    @TempDir
    Path dir;

    @Test
    void listsMapsAndStructsFromJavaRowsReadBackEqualAndNullsStayNull() {
        try (Kiln kiln = Kiln.open(dir)) {
            kiln.lakehouse().createSchema("s");
            Table t = kiln.lakehouse().createTable(TableDefinition.builder("s.nested")
                    .schema("id BIGINT, arr ARRAY<DOUBLE>, kv MAP<STRING, STRING>, st STRUCT<a: INT, b: STRING>").build());
            Map<String, String> withNullValue = new HashMap<>();
            withNullValue.put("gone", null);
            List<Object[]> rows = List.of(
                    new Object[] {1L, List.of(1.0, 2.5), Map.of("k", "v", "quote\"d", "it's"), Map.of("a", 5, "b", "x")},
                    new Object[] {2L, new ArrayList<>(Arrays.asList(3.0, null)), withNullValue, null},
                    new Object[] {3L, null, Map.of(), Map.of("a", -1, "b", "")});
            t.append(WriteSource.values(rows));
            List<List<Object>> read = new ArrayList<>();
            try (Rows r = kiln.lakehouse().sql("SELECT * FROM s.nested ORDER BY id")) {
                while (r.next()) {
                    read.add(Arrays.asList(r.get(0), r.get(1), r.get(2), r.get(3)));
                }
            }
            assertThat(read).hasSize(3);
            assertThat(read.get(0)).containsExactly(1L, List.of(1.0, 2.5), Map.of("k", "v", "quote\"d", "it's"), Map.of("a", 5, "b", "x"));
            assertThat(read.get(1).get(1)).isEqualTo(Arrays.asList(3.0, null));
            assertThat(read.get(1).get(2)).isEqualTo(withNullValue);
            assertThat(read.get(1).get(3)).isNull();
            assertThat(read.get(2)).containsExactly(3L, null, Map.of(), Map.of("a", -1, "b", ""));
        }
    }

    @Test
    void aMapWhereAListBelongsIsRefusedNamingTheColumnAndTheTableIsUnchanged() {
        try (Kiln kiln = Kiln.open(dir)) {
            kiln.lakehouse().createSchema("s");
            Table t = kiln.lakehouse().createTable(TableDefinition.builder("s.nested").schema("id BIGINT, arr ARRAY<DOUBLE>").build());
            long before = t.latest().version();
            assertThatThrownBy(() -> t.append(WriteSource.values(List.<Object[]>of(new Object[] {1L, Map.of("a", 1.0)}))))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'arr'").hasMessageContaining("s.nested");
            assertThat(t.latest().version()).isEqualTo(before);
        }
    }
}
