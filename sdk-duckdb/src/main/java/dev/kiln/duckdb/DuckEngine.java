package dev.kiln.duckdb;

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
    /** How long {@link #close()} lets queued maintenance finish before the database goes away under it. */
    private static final long DRAIN_SECONDS = 60;

    private final Connection root;
    private java.util.concurrent.ExecutorService maintenance;
    private boolean closed;

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
            }
            return new DuckEngine(connection);
        } catch (ClassNotFoundException | SQLException e) {
            throw new StorageException("Cannot start DuckDB (org.duckdb:duckdb_jdbc): " + e.getMessage(), e);
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
     * Runs work that no caller waits for (checkpoints) on one background thread of this engine, in
     * submission order. Such work must leave files consistent whenever it stops, because a process can
     * die in the middle of it; {@link #close()} lets what is queued finish first.
     *
     * @param task the work
     * @return false if the engine is closing and the task was not queued
     */
    public synchronized boolean background(Runnable task) {
        if (closed) {
            return false;
        }
        if (maintenance == null) {
            maintenance = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kiln-duckdb-maintenance");
                t.setDaemon(true); // a JVM exiting without close() drops the work; every step of it is crash-safe
                return t;
            });
        }
        try {
            maintenance.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Waits until the background work queued so far has run.
     *
     * @param timeoutMillis the longest wait
     * @return true if it all ran in time
     */
    public boolean awaitBackground(long timeoutMillis) {
        java.util.concurrent.ExecutorService executor;
        synchronized (this) {
            executor = maintenance;
            if (executor == null || closed) {
                return true;
            }
        }
        java.util.concurrent.CompletableFuture<Void> marker = new java.util.concurrent.CompletableFuture<>();
        try {
            executor.execute(() -> marker.complete(null));
            marker.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
        java.util.concurrent.ExecutorService executor;
        synchronized (this) {
            closed = true;
            executor = maintenance;
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(DRAIN_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        try {
            root.close();
        } catch (SQLException e) {
            throw new StorageException("Cannot close DuckDB: " + e.getMessage(), e);
        }
    }
}
