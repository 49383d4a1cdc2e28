package dev.kiln.benchmarks.predict;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.models.VersionSpec;
import dev.kiln.predict.Predictor;
import dev.kiln.serving.KilnServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * Single-row scoring of one model through {@code kiln serve}'s {@code POST /invocations} (a
 * one-row {@code dataframe_split} JSON body over a kept-alive loopback connection per client
 * thread, raw socket so the client costs little) beside the same registered model scored
 * embedded ({@code Predictor.predict(float[])} on the followed {@code @champion}). The model is the
 * predictor benchmarks' 100-tree depth-6 binary:logistic over 20 features. Server and client share
 * the machine's cores. Throughput mode gives requests/s; sample mode gives p50/p99 per request at
 * the rate the client threads reach. (The fixed-rate p99 is measured by {@code WrkLoadTest}
 * with wrk's paced script, since JMH has no fixed-rate mode.) The request path needs a long warm-up:
 * C2 compiles Jetty's and Javalin's code for several seconds, more on a busy machine.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ServingBenchmark -f 1 -wi 4 -i 3 -w 4s -r 4s -t 4
 * java -jar benchmarks/target/benchmarks.jar ServingBenchmark -f 1 -wi 4 -i 3 -w 4s -r 4s -t 1 -bm sample -tu us
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 4)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ServingBenchmark {

    /** {@code http}: through the server on loopback; {@code embedded}: the predictor in process. */
    @Param({"http", "embedded"})
    public String path;

    /** The model's shape, {@code TREESxDEPTH}. */
    @Param({"100x6"})
    public String shape;

    private Path dir;
    private Kiln kiln;
    private KilnServer server;
    private Predictor embedded;
    private float[] row;
    private byte[] request;

    /** One kept-alive connection per client thread. */
    @State(Scope.Thread)
    public static class Client {
        Socket socket;
        OutputStream out;
        InputStream in;

        @Setup(Level.Trial)
        public void connect(ServingBenchmark b) throws IOException {
            if (b.server != null) {
                socket = new Socket("127.0.0.1", b.server.port());
                socket.setTcpNoDelay(true);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 4096);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
        }

        /** Sends the request and reads one response; returns the body's length. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            int length = -1;
            int status = -1;
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\n') {
                    if (c != '\r') {
                        line.append((char) c);
                    }
                    continue;
                }
                if (line.length() == 0) {
                    break;
                }
                if (status < 0) {
                    status = Integer.parseInt(line.substring(9, 12));
                } else if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
                line.setLength(0);
            }
            if (status != 200 || length < 0) {
                throw new IOException("unexpected answer: status " + status + ", content-length " + length);
            }
            in.skipNBytes(length);
            return length;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path model = BenchModels.model("", shape);
        dir = Files.createTempDirectory("kiln-serving-bench");
        kiln = Kiln.builder().root(dir).principal(Principal.of("bench")).open();
        kiln.models().register(VersionSpec.builder("bench").fromFile(model).build());
        kiln.models().setAlias("bench", "champion", 1);
        embedded = kiln.models().load("models:/bench@champion");
        int width = embedded.signature().width();
        row = BenchModels.rows(1, width, BenchModels.SEED);
        StringBuilder json = new StringBuilder("{\"dataframe_split\": {\"columns\": [");
        for (int i = 0; i < width; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(embedded.signature().features().get(i).name()).append('"');
        }
        json.append("], \"data\": [[");
        for (int i = 0; i < width; i++) {
            json.append(i == 0 ? "" : ", ").append(Float.isNaN(row[i]) ? "null" : Float.toString(row[i]));
        }
        byte[] body = json.append("]]}}").toString().getBytes(StandardCharsets.UTF_8);
        request = ("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        if (path.equals("http")) {
            server = KilnServer.builder(kiln).model("models:/bench@champion").port(0).start();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (server != null) {
            server.close();
        }
        kiln.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Scores one row.
     *
     * @param client this thread's connection
     * @return the response length (http) or the prediction's bits (embedded), so nothing is optimised away
     * @throws IOException if the server answers other than 200
     */
    @Benchmark
    public int scoreOneRow(Client client) throws IOException {
        if (server != null) {
            return client.exchange(request);
        }
        return Float.floatToRawIntBits(embedded.predict(row));
    }
}
