package dev.kiln.duckdb.experiments;

import dev.kiln.Kiln;
import dev.kiln.experiments.Experiments;
import dev.kiln.experiments.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One training job of {@link MultiProcessTrackingTest}: creates the experiment by name, logs its runs 25 at a time. */
public final class TrackingWorker {
    /** Runs in flight at once in one job, as a hyper-parameter search runs trials; their ends share commits. */
    static final int TRIALS_AT_ONCE = 25;

    private TrackingWorker() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Path root = Path.of(args[0]);
        int worker = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        try (Kiln kiln = Kiln.open(root)) {
            Experiments ex = kiln.experiments();
            ex.getOrCreateExperiment("parallel-training");
            ExecutorService pool = Executors.newFixedThreadPool(TRIALS_AT_ONCE);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int index = i;
                done.add(pool.submit(() -> {
                    try (Run run = ex.startRun("parallel-training")) {
                        run.logParams(Map.of("worker", String.valueOf(worker), "index", String.valueOf(index), "max_depth",
                                String.valueOf(3 + index % 5)));
                        for (int s = 0; s < steps; s++) {
                            for (int m = 0; m < MultiProcessTrackingTest.METRICS.length; m++) {
                                run.logMetric(MultiProcessTrackingTest.METRICS[m], MultiProcessTrackingTest.value(worker, index, m, s), s);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
        System.out.printf("worker %d done in %.1f s%n", worker, (System.nanoTime() - started) / 1e9);
    }
}
