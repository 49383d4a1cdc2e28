package dev.kiln.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Small JDBC helpers shared by the backend. */
final class Sql {
    private Sql() {
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // nothing useful to do: the primary failure is already being reported
        }
    }

    /** DuckDB prefixes messages with the error class; keep the first line, which names the problem. */
    static String message(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
