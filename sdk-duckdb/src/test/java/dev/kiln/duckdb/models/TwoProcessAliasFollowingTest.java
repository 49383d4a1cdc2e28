package dev.kiln.duckdb.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.models.VersionSpec;
import dev.kiln.tck.models.TinyModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scoring JVM follows {@code @champion} while another JVM moves it 20 times: the scoring threads
 * see only whole versions, never go back, no call fails, and all end on the last version.
 */
class TwoProcessAliasFollowingTest {
    private static final int MOVES = 20;

    @TempDir
    Path dir;

    private static Process jvm(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AliasFollowWorker.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void aScoringProcessFollowsAnAliasMovedByAnotherProcess() throws Exception {
        Path root = dir.resolve("ws");
        try (Kiln alice = TinyPredictor.open(root, Principal.of("alice"), null)) {
            for (int v = 1; v <= MOVES + 1; v++) {
                alice.models().register(VersionSpec.builder("churn")
                        .fromFile(TinyModels.write(dir.resolve("in/m" + v + ".json"), v, List.of("a", "b"))).build());
            }
            alice.models().setAlias("churn", "champion", 1);
            alice.governance().grant(Privilege.EXECUTE, Securable.model("churn"), Principal.of("scorer"));
            alice.governance().grant(Privilege.MANAGE, Securable.model("churn"), Principal.of("releaser"));
        }
        Process scorer = jvm("score", root.toString(), "scorer", "4", String.valueOf(MOVES + 1));
        BufferedReader out = new BufferedReader(new InputStreamReader(scorer.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            log.append(line).append('\n');
        }
        assertThat(line).as(log.toString()).isEqualTo("READY");
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
            StringBuilder b = new StringBuilder();
            out.lines().forEach(l -> b.append(l).append('\n'));
            return b.toString();
        });
        Process mover = jvm("move", root.toString(), "releaser", "2", String.valueOf(MOVES + 1), "250");
        String moved = new String(mover.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mover.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(mover.exitValue()).as(moved).isZero();
        assertThat(moved.lines().filter(l -> l.startsWith("MOVED")).count()).as(moved).isEqualTo(MOVES);
        assertThat(scorer.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String result = rest.get();
        assertThat(scorer.exitValue()).as(result).isZero();
        Matcher m = Pattern.compile("RESULT calls=(\\d+) failures=(\\d+) torn=(\\d+) backwards=(\\d+) last=(\\d+)").matcher(result);
        assertThat(m.find()).as(result).isTrue();
        System.out.println("two-process alias following: " + m.group());
        assertThat(Long.parseLong(m.group(1))).isPositive();
        assertThat(m.group(2)).as("failed calls").isEqualTo("0");
        assertThat(m.group(3)).as("scores from no whole version").isEqualTo("0");
        assertThat(m.group(4)).as("went back to an older version").isEqualTo("0");
        assertThat(m.group(5)).as("every thread ends on the last version").isEqualTo(String.valueOf(MOVES + 1));
    }
}
