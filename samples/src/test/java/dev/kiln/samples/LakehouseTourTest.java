package dev.kiln.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseTourTest {
    @TempDir
    Path dir;

    @Test
    void runsAndRunsAgainOnTheSameWorkspaceAddingVersions() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long first = LakehouseTour.run(dir, out);
        long second = LakehouseTour.run(dir, out);
        assertThat(second).isGreaterThan(first);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("appended 5000 orders", "MERGE", "OPTIMIZE", "EU");
    }

    @Test
    void needsNoJvmFlag() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LakehouseTour.class.getName(),
                dir.resolve("plain").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).contains("optimize: version").doesNotContain("Exception");
    }
}
