package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Rows.getDouble} over every numeric kind DuckDB returns, with NULLs, as training reads them. */
class RowsGetDoubleTest {
    @TempDir
    Path dir;

    @Test
    void everyNumericTypeReadsAsDoubleAndNullAsNaN() {
        String sql = "SELECT * FROM (VALUES "
                + "(1.5::DOUBLE, 2.25::FLOAT, 7::INTEGER, 9000000000::BIGINT, 3::TINYINT, 12.34::DECIMAL(10,2), true, 'x'), "
                + "(NULL::DOUBLE, NULL::FLOAT, NULL::INTEGER, NULL::BIGINT, NULL::TINYINT, NULL::DECIMAL(10,2), NULL::BOOLEAN, NULL::VARCHAR), "
                + "('NaN'::DOUBLE, '-inf'::FLOAT, -1::INTEGER, -2::BIGINT, -3::TINYINT, -0.5::DECIMAL(10,2), false, 'y')"
                + ") AS t(d, f, i, b, ti, dec, bo, s)";
        try (Kiln kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider()).open();
                Rows rows = kiln.lakehouse().sql(sql)) {
            assertThat(rows.next()).isTrue();
            assertThat(new double[] {rows.getDouble(0), rows.getDouble(1), rows.getDouble(2), rows.getDouble(3), rows.getDouble(4),
                    rows.getDouble(5), rows.getDouble(6)}).containsExactly(1.5, 2.25, 7, 9_000_000_000d, 3, 12.34, 1);
            assertThatThrownBy(() -> rows.getDouble(7)).isInstanceOf(ClassCastException.class).hasMessageContaining("s is STRING");
            assertThat(rows.next()).isTrue();
            for (int c = 0; c < 7; c++) {
                assertThat(rows.getDouble(c)).as("NULL in column %d", c).isNaN();
            }
            assertThat(rows.next()).isTrue();
            assertThat(rows.getDouble(0)).isNaN();
            assertThat(rows.getDouble(1)).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(new double[] {rows.getDouble(2), rows.getDouble(3), rows.getDouble(4), rows.getDouble(5), rows.getDouble(6)})
                    .containsExactly(-1, -2, -3, -0.5, 0);
            assertThat(rows.next()).isFalse();
        }
    }
}
