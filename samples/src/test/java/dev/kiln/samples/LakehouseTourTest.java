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
}
