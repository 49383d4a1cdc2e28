package dev.kiln.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kiln.Kiln;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureStores;
import dev.kiln.features.FeatureTable;
import dev.kiln.features.FeatureTableDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln features ...}: declare, list and describe feature tables. */
@Command(name = "features", description = "Feature tables.", mixinStandardHelpOptions = true,
        subcommands = {FeaturesCommand.Create.class, FeaturesCommand.ListTables.class, FeaturesCommand.Describe.class,
            FeaturesCommand.Drop.class})
public final class FeaturesCommand {

    @ParentCommand
    KilnCli root;

    /** Creates the command; picocli calls this. */
    public FeaturesCommand() {
    }

    static FeatureStore store(Kiln kiln) {
        return FeatureStores.of(kiln);
    }

    @Command(name = "create", description = "Declare an existing lakehouse table a feature table.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        FeaturesCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TABLE", description = "schema.table")
        String name;
        @Option(names = "--keys", required = true, split = ",", paramLabel = "COL", description = "Primary key columns.")
        List<String> keys;
        @Option(names = "--timestamp", required = true, paramLabel = "COL", description = "Event-time column.")
        String timestamp;
        @Option(names = "--created", paramLabel = "COL", description = "Created (ingestion) time column.")
        String created;
        @Option(names = "--description", description = "A description.")
        String description = "";
        @Option(names = "--owner", description = "The owner.")
        String owner = "";
        @Option(names = "--tag", paramLabel = "KEY[=VALUE]", description = "A tag; repeatable.")
        List<String> tags = List.of();

        @Override
        public Integer call() {
            FeatureTableDefinition.Builder b = FeatureTableDefinition.builder(name).primaryKeys(keys.toArray(String[]::new))
                    .timestampKey(timestamp).createdColumn(created).description(description).owner(owner);
            for (String tag : tags) {
                int eq = tag.indexOf('=');
                b.tag(eq < 0 ? tag : tag.substring(0, eq), eq < 0 ? "" : tag.substring(eq + 1));
            }
            try (Kiln kiln = parent.root.open()) {
                FeatureTable ft = store(kiln).register(b.build());
                spec.commandLine().getOut().println("feature table " + ft.name() + ": keys " + ft.definition().primaryKeys() + ", event time "
                        + ft.definition().timestampKey() + ", features " + ft.features());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List feature tables (optionally those matching a name, tag or key=value).")
    static final class ListTables implements Callable<Integer> {
        @ParentCommand
        FeaturesCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", arity = "0..1", paramLabel = "SEARCH", description = "Text, a tag, or key=value.")
        String search;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl.")
        String format;

        @Override
        public Integer call() throws IOException {
            checkFormat(spec, format);
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                FeatureStore store = store(kiln);
                for (FeatureTableDefinition d : search == null ? store.list() : store.search(search)) {
                    if (format.equals("jsonl")) {
                        out.println(json(d, null));
                    } else {
                        out.printf("%-32s keys=%s ts=%s%s  %s%n", d.name(), d.primaryKeys(), d.timestampKey(),
                                d.createdColumn() == null ? "" : " created=" + d.createdColumn(), d.description());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "describe", description = "Describe a feature table.")
    static final class Describe implements Callable<Integer> {
        @ParentCommand
        FeaturesCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "schema.table")
        String name;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl.")
        String format;

        @Override
        public Integer call() throws IOException {
            checkFormat(spec, format);
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                FeatureTable ft = store(kiln).table(name);
                FeatureTableDefinition d = ft.definition();
                if (format.equals("jsonl")) {
                    out.println(json(d, ft));
                    return 0;
                }
                out.println("name:         " + d.name());
                out.println("keys:         " + String.join(", ", d.primaryKeys()));
                out.println("event time:   " + d.timestampKey());
                out.println("created time: " + (d.createdColumn() == null ? "-" : d.createdColumn()));
                out.println("description:  " + d.description());
                out.println("owner:        " + d.owner());
                out.println("tags:         " + d.tags());
                out.println("version:      " + ft.table().latest().version());
                out.println("features:");
                for (String f : ft.features()) {
                    out.println("  " + f + " " + ft.table().latest().schema().field(f).orElseThrow().type().sql()
                            + (d.featureDescriptions().containsKey(f) ? "  -- " + d.featureDescriptions().get(f) : ""));
                }
                if (!d.sourceQuery().isEmpty()) {
                    out.println("source query: " + d.sourceQuery());
                    out.println("source tables: " + d.sourceVersions());
                }
                out.println("created:      " + d.createdAt() + " by " + d.createdBy());
            }
            return 0;
        }
    }

    @Command(name = "drop", description = "Remove a feature table definition (and its data with --data).")
    static final class Drop implements Callable<Integer> {
        @ParentCommand
        FeaturesCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--data", description = "Drop the lakehouse table too.")
        boolean data;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                store(kiln).drop(name, data);
                spec.commandLine().getOut().println("dropped feature table " + name + (data ? " and its data" : ""));
            }
            return 0;
        }
    }

    static void checkFormat(CommandSpec spec, String format) {
        if (!format.equals("text") && !format.equals("jsonl")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text or jsonl");
        }
    }

    static String json(FeatureTableDefinition d, FeatureTable table) throws IOException {
        StringWriter line = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("name", d.name());
            g.writeFieldName("primaryKeys");
            RowWriter.json(g, d.primaryKeys());
            g.writeStringField("timestampKey", d.timestampKey());
            if (d.createdColumn() != null) {
                g.writeStringField("createdColumn", d.createdColumn());
            } else {
                g.writeNullField("createdColumn");
            }
            g.writeStringField("description", d.description());
            g.writeStringField("owner", d.owner());
            g.writeFieldName("tags");
            RowWriter.json(g, d.tags());
            g.writeFieldName("featureDescriptions");
            RowWriter.json(g, d.featureDescriptions());
            if (table != null) {
                g.writeFieldName("features");
                RowWriter.json(g, table.features());
                g.writeNumberField("version", table.table().latest().version());
            }
            g.writeStringField("sourceQuery", d.sourceQuery());
            g.writeFieldName("sourceVersions");
            RowWriter.json(g, (Map<?, ?>) d.sourceVersions());
            g.writeStringField("createdAt", d.createdAt() == null ? null : d.createdAt().toString());
            g.writeStringField("createdBy", d.createdBy());
            g.writeEndObject();
        }
        return line.toString();
    }
}
