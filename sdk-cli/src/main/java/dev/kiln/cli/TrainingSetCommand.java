package dev.kiln.cli;

import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kiln training-set --spine TABLE --lookup FEATURE_TABLE[:f1,f2] ... --out TABLE}: a point-in-time correct
 * join written to a lakehouse table holding every spine column followed by the looked-up features.
 */
@Command(name = "training-set", mixinStandardHelpOptions = true,
        description = "Build a point-in-time correct training set: every spine row, in order, then its features as of its time.")
public final class TrainingSetCommand implements Callable<Integer> {

    @ParentCommand
    KilnCli root;
    @Spec
    CommandSpec spec;
    @Option(names = "--spine", required = true, paramLabel = "TABLE", description = "The spine table (keys, event time, labels).")
    String spine;
    @Option(names = "--timestamp", paramLabel = "COL",
            description = "The spine's event-time column (default: the first feature table's event-time column if the spine has it, "
                    + "else the spine's only time column).")
    String timestamp;
    @Option(names = "--lookup", required = true, paramLabel = "FEATURE_TABLE[:f1,f2]",
            description = "A feature table and, optionally, the features to take; repeatable.")
    List<String> lookups;
    @Option(names = "--lookback", paramLabel = "DURATION", description = "Only values at most this old, e.g. PT30M or P7D (default: no limit).")
    String lookback;
    @Option(names = "--as-known", description = "Only rows created at or before the spine time (needs created-time columns).")
    boolean asKnown;
    @Option(names = "--out", required = true, paramLabel = "TABLE", description = "The table to write (created, or overwritten).")
    String out;

    /** Creates the command; picocli calls this. */
    public TrainingSetCommand() {
    }

    @Override
    public Integer call() {
        try (Kiln kiln = root.open()) {
            FeatureStore store = FeaturesCommand.store(kiln);
            TrainingSetSpec.Builder builder = null;
            List<FeatureLookup> built = new ArrayList<>();
            for (String lookup : lookups) {
                int colon = lookup.indexOf(':');
                FeatureLookup.Builder b = FeatureLookup.builder(colon < 0 ? lookup : lookup.substring(0, colon));
                if (colon >= 0) {
                    for (String f : lookup.substring(colon + 1).split(",")) {
                        if (!f.isBlank()) {
                            b.features(f.trim());
                        }
                    }
                }
                if (lookback != null) {
                    b.lookback(duration(lookback));
                }
                if (asKnown) {
                    b.asKnownAtTheTime();
                }
                built.add(b.build());
            }
            String time = timestamp != null ? timestamp : spineTime(kiln, store, built.get(0).table());
            builder = TrainingSetSpec.builder(Spine.table(spine, time));
            built.forEach(builder::lookup);
            try (TrainingSet set = store.trainingSet(builder.build())) {
                Table table = set.writeTo(out);
                long rows = table.latest().scan().count();
                spec.commandLine().getOut().println("wrote " + rows + " rows to " + table.name() + " version " + table.latest().version()
                        + ": columns " + set.lineage().outputColumns() + "; features from " + set.lineage().featureTables().stream()
                        .map(tv -> tv.table() + "@v" + tv.version()).toList() + ", spine " + set.lineage().spineVersions());
            }
        }
        return 0;
    }

    private String spineTime(Kiln kiln, FeatureStore store, String firstTable) {
        Schema schema = kiln.lakehouse().table(spine).latest().schema();
        FeatureTableDefinition d = store.table(firstTable).definition();
        if (schema.field(d.timestampKey()).isPresent()) {
            return schema.field(d.timestampKey()).get().name();
        }
        List<String> times = new ArrayList<>();
        for (Field f : schema.fields()) {
            if (f.type() == DataType.Primitive.TIMESTAMP || f.type() == DataType.Primitive.TIMESTAMP_NTZ || f.type() == DataType.Primitive.DATE) {
                times.add(f.name());
            }
        }
        if (times.size() != 1) {
            throw new InvalidArgumentException("Cannot tell the spine's event-time column among " + times + "; name it with --timestamp COL.");
        }
        return times.get(0);
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException("--lookback '" + text + "' is not an ISO-8601 duration such as PT30M or P7D.");
        }
    }
}
