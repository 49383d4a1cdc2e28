package dev.kiln.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart end to end on a small population, twice on the same workspace. */
class ChurnQuickstartTest {
    @TempDir
    Path dir;

    @Test
    void runsTheLifecycleAndRunsAgainAddingVersions() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ChurnQuickstart.Result first = ChurnQuickstart.run(dir, 4000, out);
        assertThat(first.trainingRows()).isEqualTo(4000);
        assertThat(first.featureCount()).isGreaterThanOrEqualTo(15);
        assertThat(first.search().trials()).hasSize(24);
        // the generator plants a learnable signal: a model that learned nothing would sit near 0.5
        assertThat(first.search().best().metrics().get("eval-auc")).isGreaterThan(0.75);
        assertThat(first.scoring().scored()).isEqualTo(2000);
        assertThat(first.scoring().meanChurners()).isGreaterThan(first.scoring().meanStayers() + 0.1);
        assertThat(first.championVersion()).isEqualTo(1);
        long labelsVersion;
        try (Kiln kiln = Kiln.open(dir)) {
            labelsVersion = kiln.lakehouse().table("retail.churn_labels").latest().version();
            assertThat(kiln.experiments().getRun(first.search().best().runId()).data().tags())
                    .containsEntry("mlflow.parentRunId", first.search().parentRunId());
        }
        ChurnQuickstart.Result second = ChurnQuickstart.run(dir, 4000, out);
        assertThat(second.search().trials()).hasSize(24);
        assertThat(second.championVersion()).isEqualTo(2);
        try (Kiln kiln = Kiln.open(dir)) {
            assertThat(kiln.lakehouse().table("retail.churn_labels").latest().version()).isGreaterThan(labelsVersion);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("top runs by validation AUC", "feature table features.customer_purchases",
                "analyst may not move @champion", "release-manager moved models:/churn@champion", "retail.transactions");
    }
}
