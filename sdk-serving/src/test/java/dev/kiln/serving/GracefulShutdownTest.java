package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the server lets a request in flight finish: the client sends the headers and half the
 * body, the server is closed, and only when the rest of the body arrives does the request complete
 * (with 200) and the close return.
 */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void closeFinishesRequestsInFlightThenStops() throws Exception {
        try (Kiln kiln = ServingFixture.create(dir.resolve("ws"), dir.resolve("models"), 1)) {
            KilnServer server = KilnServer.builder(kiln).model("models:/churn@champion").port(0).start();
            int port = server.port();
            byte[] body = "{\"instances\": [[30, 1]]}".getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 10);
                out.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.inFlight() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(server.inFlight()).as("the request is being handled, waiting for its body").isEqualTo(1);

                CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
                Thread.sleep(300);
                assertThat(closing).as("close waits for the request in flight").isNotDone();
                try (Socket late = new Socket("127.0.0.1", port)) {
                    late.getOutputStream().write("GET /v2/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String answer = readResponse(late.getInputStream());
                    assertThat(answer).as("a new request while draining is refused").startsWith("HTTP/1.1 503").contains("SHUTTING_DOWN");
                } catch (ConnectException refusedAlready) {
                    // also acceptable: the listener is already closed
                }

                out.write(body, 10, body.length - 10);
                out.flush();
                String response = readResponse(socket.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200").endsWith("{\"predictions\":[102.0]}");
                closing.get(10, TimeUnit.SECONDS);
            }
            try (Socket refused = new Socket("127.0.0.1", port)) {
                throw new AssertionError("the server still accepts connections after close");
            } catch (ConnectException expected) {
                // stopped
            }
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : h.split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
