package dev.kiln.cli;

import dev.kiln.Kiln;
import dev.kiln.serving.KilnServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kiln serve}: scores registered models over HTTP until the process is stopped. SIGTERM or
 * Ctrl-C stops it gracefully: new requests are refused, those in flight finish, then it exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve registered models over HTTP (MLflow /invocations, Open Inference Protocol v2, /metrics) and the "
                + "registry over REST, until SIGTERM or Ctrl-C, which stop it gracefully.")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    KilnCli root;
    @Spec
    CommandSpec spec;
    @Option(names = "--model", required = true, paramLabel = "URI",
            description = "models:/NAME@ALIAS (followed as it moves) or models:/NAME/VERSION; repeatable, the first also answers /invocations.")
    List<String> models;
    @Option(names = "--port", defaultValue = "8080", description = "The port (default 8080; 0 picks a free one).")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The address to listen on (default 127.0.0.1; 0.0.0.0 for all).")
    String host;
    @Option(names = "--max-request-bytes", defaultValue = "1048576", description = "Largest request body (default 1 MiB); more gets 413.")
    long maxRequestBytes;
    @Option(names = "--max-batch-rows", defaultValue = "10000", description = "Most rows per request (default 10000); more gets 413.")
    int maxBatchRows;
    @Option(names = "--require-token", description = "Scoring routes need a bearer token whose principal holds EXECUTE on the model.")
    boolean requireToken;
    @Option(names = "--feature-refresh-seconds", defaultValue = "10",
            description = "How often by-key scoring applies new feature-table commits (default 10; 0 never).")
    long featureRefreshSeconds;
    @Option(names = "--drain-seconds", defaultValue = "30", description = "How long shutdown waits for requests in flight (default 30).")
    int drainSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Kiln kiln = root.open();
        KilnServer server;
        try {
            KilnServer.Builder b = KilnServer.builder(kiln).host(host).port(port).maxRequestBytes(maxRequestBytes).maxBatchRows(maxBatchRows)
                    .requireTokenForScoring(requireToken).drainTimeout(Duration.ofSeconds(drainSeconds))
                    .featureRefresh(Duration.ofSeconds(featureRefreshSeconds));
            models.forEach(b::model);
            server = b.start();
        } catch (RuntimeException e) {
            kiln.close();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf("serving %s as %s on http://%s:%d%n", String.join(", ", models), kiln.principal(), host, server.port());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                kiln.close();
                err.println("kiln serve: stopped gracefully");
                err.flush();
            } finally {
                stopped.countDown();
            }
        }, "kiln-serve-shutdown"));
        stopped.await();
        return 0;
    }
}
