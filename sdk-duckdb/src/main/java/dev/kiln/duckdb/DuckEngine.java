package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One in-process DuckDB database (in memory: the tables live in Delta files, not in DuckDB) shared
 * by a workspace. Each unit of work takes its own connection from {@link #connect()}; DuckDB
 * connections are cheap and must not be shared between threads.
 */
public final class DuckEngine implements AutoCloseable {
    private final Connection root;

    private DuckEngine(Connection root) {
        this.root = root;
    }

    /**
     * Starts an engine. The native library is loaded here, not before.
     *
     * @param threads worker threads for DuckDB, or 0 for its default (all cores)
     * @return the engine
     * @throws StorageException if DuckDB cannot start
     */
    public static DuckEngine start(int threads) {
        return start(threads, null, null);
    }

    /**
     * Starts an engine with a memory budget: past {@code memoryLimit}, DuckDB spills large sorts, joins and
     * aggregates to {@code tempDirectory} instead of failing (an operator that cannot spill still fails).
     *
     * @param threads worker threads for DuckDB, or 0 for its default (all cores)
     * @param memoryLimit DuckDB's {@code memory_limit}, such as {@code 4GB}, or null for its default (80% of RAM)
     * @param tempDirectory where to spill, or null for DuckDB's default ({@code .tmp} in the working directory)
     * @return the engine
     * @throws StorageException if DuckDB cannot start or refuses a setting
     */
    public static DuckEngine start(int threads, String memoryLimit, String tempDirectory) {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            Properties props = new Properties();
            // No network here: a missing extension must fail at once, not after a download attempt.
            props.setProperty("autoinstall_known_extensions", "false");
            props.setProperty("autoload_known_extensions", "true");
            Connection connection = DriverManager.getConnection("jdbc:duckdb:", props);
            try (Statement st = connection.createStatement()) {
                // global, so that every duplicated connection compares and prints timestamps in UTC
                st.execute("SET GLOBAL TimeZone = 'UTC'");
                if (threads > 0) {
                    st.execute("SET threads = " + threads);
                }
                st.execute("SET preserve_insertion_order = true");
                if (memoryLimit != null && !memoryLimit.isBlank()) {
                    setting(connection, st, "memory_limit", memoryLimit.trim(), "duckdb.memory_limit", "a size such as 4GB");
                }
                if (tempDirectory != null && !tempDirectory.isBlank()) {
                    setting(connection, st, "temp_directory", tempDirectory.trim(), "duckdb.temp_directory", "a folder this process may write");
                }
            }
            return new DuckEngine(connection);
        } catch (ClassNotFoundException | SQLException e) {
            throw new StorageException("Cannot start DuckDB (org.duckdb:duckdb_jdbc): " + e.getMessage(), e);
        }
    }

    /** Applies one global setting; a refused value closes the database and names the workspace property to fix. */
    private static void setting(Connection connection, Statement st, String name, String value, String property, String expected) {
        try {
            st.execute("SET GLOBAL " + name + " = " + literal(value));
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing: the refusal is what the caller needs to see
            }
            throw new InvalidArgumentException("DuckDB refuses " + name + " '" + value + "' (workspace property " + property + "): "
                    + e.getMessage() + " Give " + expected + ".", e);
        }
    }

    /**
     * Opens a new connection to the shared database; the caller closes it.
     *
     * @return a connection whose session time zone is UTC
     * @throws StorageException if DuckDB refuses
     */
    public Connection connect() {
        try {
            return ((org.duckdb.DuckDBConnection) root).duplicate();
        } catch (SQLException e) {
            throw new StorageException("Cannot open a DuckDB connection: " + e.getMessage(), e);
        }
    }

    /**
     * Quotes an identifier for DuckDB SQL.
     *
     * @param name the identifier
     * @return the identifier in double quotes, inner quotes doubled
     */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * Quotes a string literal for DuckDB SQL.
     *
     * @param value the text
     * @return the text in single quotes, inner quotes doubled
     */
    public static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            throw new StorageException("Cannot close DuckDB: " + e.getMessage(), e);
        }
    }
}
