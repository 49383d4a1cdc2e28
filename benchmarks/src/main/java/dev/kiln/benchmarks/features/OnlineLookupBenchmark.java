package dev.kiln.benchmarks.features;

import dev.kiln.Kiln;
import dev.kiln.duckdb.DuckStorageProvider;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureStores;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.FeatureVector;
import dev.kiln.features.OnlineStore;
import dev.kiln.features.OnlineStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does an online lookup of a 20-feature vector by key cost with 1M keys (target p99 under
 * 10 us)? Baseline in the same run: a bare {@code ConcurrentHashMap<Long, Object[]>} get, the floor any
 * in-process store sits on. Also reports the store's heap per key (printed at setup).
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar OnlineLookupBenchmark -f 1 -wi 1 -i 3 -p keys=1000000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx6g"})
public class OnlineLookupBenchmark {

    /** Keys in the store. */
    @Param({"1000000"})
    public int keys;

    /** Features per vector. */
    @Param({"20"})
    public int features;

    private Path dir;
    private Kiln kiln;
    private OnlineStore online;
    private final ConcurrentHashMap<Long, Object[]> baseline = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("kiln-online-bench");
        kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider()).open();
        FeatureStore store = FeatureStores.of(kiln);
        kiln.lakehouse().createSchema("fs");
        StringBuilder cols = new StringBuilder();
        for (int f = 0; f < features; f++) {
            cols.append(", random() AS f").append(f);
        }
        store.createTable(FeatureTableDefinition.builder("fs.vectors").primaryKeys("id").timestampKey("ts").build(),
                "SELECT i::BIGINT AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i::BIGINT) AS ts" + cols
                        + " FROM range(" + keys + ") AS r(i)");
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        online = store.onlineStore("fs.vectors", OnlineStoreOptions.builder().staleAfter(Duration.ofDays(36500)).build());
        long warmMillis = (System.nanoTime() - t0) / 1_000_000;
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("%nonline store: %d keys warmed in %d ms, about %d bytes of heap per key%n", online.size(), warmMillis,
                (after - before) / Math.max(1, online.size()));
        for (long k = 0; k < keys; k++) {
            baseline.put(k, online.get(k).orElseThrow().values());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        online.close();
        kiln.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public FeatureVector kilnOnlineGet() {
        return online.get(random.nextLong(keys)).orElseThrow();
    }

    @Benchmark
    public Object[] concurrentHashMapGet() {
        return baseline.get(random.nextLong(keys));
    }
}
