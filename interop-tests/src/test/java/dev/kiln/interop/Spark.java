package dev.kiln.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session with Delta for the whole test run: starting Spark costs seconds, so every
 * test class shares it. Stopped when the JVM exits.
 */
final class Spark {
    private static SparkSession session;

    private Spark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            Path warehouse;
            try {
                warehouse = Files.createTempDirectory("kiln-interop-warehouse");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            session = SparkSession.builder()
                    .appName("kiln-interop")
                    .master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
                    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.datetime.java8API.enabled", "true")
                    // small tables: keep Delta's own state reconstruction to few partitions
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    .config("spark.databricks.delta.stateReconstructionValidation.enabled", "false")
                    // tiny data on a shared 2-core machine: compiling generated code and re-planning
                    // cost more than they save
                    .config("spark.sql.codegen.wholeStage", "false")
                    .config("spark.sql.adaptive.enabled", "false")
                    .getOrCreate();
            SparkSession started = session;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-spark"));
        }
        return session;
    }
}
