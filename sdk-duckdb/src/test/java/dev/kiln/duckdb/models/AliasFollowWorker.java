package dev.kiln.duckdb.models;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.predict.Predictor;
import dev.kiln.tck.models.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A separate JVM for {@link TwoProcessAliasFollowingTest}.
 *
 * <ul>
 *   <li>{@code score ROOT PRINCIPAL THREADS LAST}: follows {@code models:/churn@champion} with
 *       THREADS scoring threads until every thread has seen version LAST for a second (or two
 *       minutes pass), then prints {@code RESULT calls=.. failures=.. torn=.. backwards=.. last=..}.</li>
 *   <li>{@code move ROOT PRINCIPAL FROM TO PAUSE_MS}: points {@code champion} at FROM, FROM+1, ... TO.</li>
 * </ul>
 */
public final class AliasFollowWorker {
    private AliasFollowWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        Principal who = Principal.of(args[2]);
        if (args[0].equals("move")) {
            int from = Integer.parseInt(args[3]);
            int to = Integer.parseInt(args[4]);
            long pause = Long.parseLong(args[5]);
            try (Kiln kiln = TinyPredictor.open(root, who, null)) {
                for (int v = from; v <= to; v++) {
                    kiln.models().setAlias("churn", "champion", v);
                    System.out.println("MOVED " + v);
                    Thread.sleep(pause);
                }
            }
            System.out.println("DONE");
            return;
        }
        int threads = Integer.parseInt(args[3]);
        int last = Integer.parseInt(args[4]);
        try (Kiln kiln = TinyPredictor.open(root, who, "PT0.2S")) {
            Predictor p = kiln.models().load("models:/churn@champion");
            AtomicLong calls = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            AtomicLong torn = new AtomicLong();
            AtomicLong backwards = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            long[] lastSeen = new long[threads];
            long[] sinceLast = new long[threads];
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    float[] row = {1f, 2f};
                    long seen = 0;
                    int n = 0;
                    while (!stop.get()) {
                        if (++n % 512 == 0) {
                            // leave the small test machine some CPU for the other JVM
                            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                        }
                        try {
                            float y = p.predict(row);
                            calls.incrementAndGet();
                            long v = Math.round(y / 1001f);
                            if (v < 1 || v > last || TinyModels.expected((int) v) != y) {
                                torn.incrementAndGet();
                                continue;
                            }
                            if (v < seen) {
                                backwards.incrementAndGet();
                            }
                            if (v == last && seen != last) {
                                sinceLast[id] = System.nanoTime();
                            }
                            seen = v;
                            lastSeen[id] = v;
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                });
                w.start();
                workers.add(w);
            }
            System.out.println("READY");
            System.out.flush();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                boolean all = true;
                for (int t = 0; t < threads; t++) {
                    all &= lastSeen[t] == last && System.nanoTime() - sinceLast[t] > 1_000_000_000L;
                }
                if (all) {
                    break;
                }
                Thread.sleep(50);
            }
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            long min = Long.MAX_VALUE;
            for (long v : lastSeen) {
                min = Math.min(min, v);
            }
            System.out.println("RESULT calls=" + calls.get() + " failures=" + failures.get() + " torn=" + torn.get() + " backwards="
                    + backwards.get() + " last=" + min);
        }
    }
}
