package dev.kiln.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.Kiln;
import dev.kiln.models.LineageGraph;
import dev.kiln.models.ModelUri;
import dev.kiln.models.ModelVersion;
import dev.kiln.models.RegisteredModel;
import dev.kiln.models.TableRef;
import dev.kiln.models.VersionSpec;
import dev.kiln.predict.Feature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln models ...}: register versions, list them, move aliases, print lineage. */
@Command(name = "models", description = "The model registry.", mixinStandardHelpOptions = true,
        subcommands = {ModelsCommand.Register.class, ModelsCommand.Versions.class, ModelsCommand.ListModels.class,
            ModelsCommand.Alias.class, ModelsCommand.Lineage.class, ModelsCommand.Delete.class})
final class ModelsCommand {
    static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    KilnCli root;

    static void checkFormat(CommandSpec spec, String format, String... allowed) {
        if (!List.of(allowed).contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be one of " + String.join(", ", allowed));
        }
    }

    static ObjectNode json(ModelVersion v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", v.modelName());
        o.put("version", v.version());
        o.put("source", v.source());
        o.put("run_id", v.runId());
        o.put("artifact", v.artifact().toString());
        o.put("creator", v.creator().name());
        o.put("creation_time", v.createdAt().toString());
        o.put("description", v.description());
        ArrayNode aliases = o.putArray("aliases");
        v.aliases().forEach(aliases::add);
        ObjectNode tags = o.putObject("tags");
        v.tags().forEach(tags::put);
        ArrayNode features = o.putArray("features");
        for (Feature f : v.signature().features()) {
            features.addObject().put("name", f.name()).put("type", f.type().name().toLowerCase(Locale.ROOT));
        }
        o.put("objective", v.signature().objective());
        ArrayNode tables = o.putArray("lineage_tables");
        if (v.lineage().spine() != null) {
            tables.addObject().put("role", "spine").put("name", v.lineage().spine().name()).put("version", v.lineage().spine().version());
        }
        v.lineage().featureTables().forEach(ft -> tables.addObject().put("role", "feature_table").put("name", ft.table().name())
                .put("version", ft.table().version()));
        for (TableRef t : v.lineage().tables()) {
            tables.addObject().put("role", "table").put("name", t.name()).put("version", t.version());
        }
        return o;
    }

    static final class Source {
        @Option(names = "--run", paramLabel = "RUN_ID", description = "The run whose model artifact to register (or a runs:/ URI).")
        String run;
        @Option(names = "--file", paramLabel = "MODEL.json", description = "An XGBoost model file (JSON or UBJSON) to copy in.")
        Path file;
    }

    @Command(name = "register", description = "Register a new version of a model (created if missing).")
    static final class Register implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;
        @Option(names = "--artifact-path", defaultValue = "model", description = "The model's path inside the run (default: model).")
        String artifactPath;
        @Option(names = "--description", description = "The version's description.")
        String description = "";
        @Option(names = "--alias", description = "Also point this alias at the new version.")
        String alias;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text): jsonl prints the new version.")
        String format;

        @Override
        public Integer call() {
            checkFormat(spec, format, "text", "jsonl");
            VersionSpec.Builder b = VersionSpec.builder(name).description(description);
            if (source.run != null) {
                b.fromRun(source.run.startsWith("runs:/") ? source.run : "runs:/" + source.run + "/" + artifactPath);
            } else {
                b.fromFile(source.file);
            }
            try (Kiln kiln = parent.root.open()) {
                ModelVersion v = kiln.models().register(b.build());
                if (alias != null) {
                    kiln.models().setAlias(name, alias, v.version());
                    v = kiln.models().version(name, v.version());
                }
                if (format.equals("jsonl")) {
                    spec.commandLine().getOut().println(json(v));
                    return 0;
                }
                spec.commandLine().getOut().println("registered " + v.uri() + " (" + v.signature().width() + " features)"
                        + (alias != null ? ", @" + alias + " -> " + v.version() : ""));
            }
            return 0;
        }
    }

    @Command(name = "versions", description = "List a model's versions, oldest first.")
    static final class Versions implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() {
            checkFormat(spec, format, "text", "jsonl");
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                for (ModelVersion v : kiln.models().versions(name)) {
                    if (format.equals("jsonl")) {
                        out.println(json(v));
                    } else {
                        out.printf("%-4d %-28s %-12s %s%s%n", v.version(), v.createdAt(), v.creator().name(), v.source(),
                                v.aliases().isEmpty() ? "" : "  @" + String.join(" @", v.aliases()));
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List registered models (optionally filtered, e.g. \"name LIKE 'churn%'\").")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--filter", defaultValue = "", description = "name = / LIKE / ILIKE 'x', tags.key = 'v', joined by AND.")
        String filter;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() {
            checkFormat(spec, format, "text", "jsonl");
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                for (RegisteredModel m : kiln.models().search(filter)) {
                    if (format.equals("jsonl")) {
                        ObjectNode o = JSON.createObjectNode().put("name", m.name()).put("latest_version", m.latestVersion())
                                .put("description", m.description()).put("creator", m.creator().name());
                        ObjectNode aliases = o.putObject("aliases");
                        m.aliases().forEach(aliases::put);
                        ObjectNode tags = o.putObject("tags");
                        m.tags().forEach(tags::put);
                        out.println(o);
                    } else {
                        out.printf("%-24s latest %-4d %s%n", m.name(), m.latestVersion(), m.aliases());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "alias", description = "Set or remove an alias.", mixinStandardHelpOptions = true,
            subcommands = {Alias.Set.class, Alias.Remove.class})
    static final class Alias {
        @ParentCommand
        ModelsCommand parent;

        @Command(name = "set", description = "Point ALIAS at VERSION (needs MANAGE on the model).")
        static final class Set implements Callable<Integer> {
            @ParentCommand
            Alias parent;
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", paramLabel = "NAME")
            String name;
            @Parameters(index = "1", paramLabel = "ALIAS")
            String alias;
            @Parameters(index = "2", paramLabel = "VERSION")
            long version;
            @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
            String format;

            @Override
            public Integer call() {
                checkFormat(spec, format, "text", "jsonl");
                try (Kiln kiln = parent.parent.root.open()) {
                    kiln.models().setAlias(name, alias, version);
                }
                spec.commandLine().getOut().println(format.equals("jsonl")
                        ? JSON.createObjectNode().put("name", name).put("alias", alias).put("version", version).toString()
                        : ModelUri.alias(name, alias) + " -> version " + version);
                return 0;
            }
        }

        @Command(name = "remove", description = "Remove ALIAS (needs MANAGE on the model).")
        static final class Remove implements Callable<Integer> {
            @ParentCommand
            Alias parent;
            @Spec
            CommandSpec spec;
            @Parameters(index = "0", paramLabel = "NAME")
            String name;
            @Parameters(index = "1", paramLabel = "ALIAS")
            String alias;

            @Override
            public Integer call() {
                try (Kiln kiln = parent.parent.root.open()) {
                    kiln.models().removeAlias(name, alias);
                }
                spec.commandLine().getOut().println("removed " + ModelUri.alias(name, alias));
                return 0;
            }
        }
    }

    @Command(name = "lineage", description = "Print what a model version was trained on, back to the source tables.")
    static final class Lineage implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME@ALIAS|NAME/VERSION", description = "Also a models:/ URI.")
        String target;
        @Option(names = "--format", defaultValue = "text", description = "text, dot or jsonl (default text).")
        String format;

        @Override
        public Integer call() {
            checkFormat(spec, format, "text", "dot", "jsonl");
            String uri = target.startsWith("models:/") ? target : "models:/" + target;
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                LineageGraph g = kiln.models().lineage(uri);
                switch (format) {
                    case "dot" -> out.print(g.toDot());
                    case "jsonl" -> {
                        for (LineageGraph.Node n : g.nodes()) {
                            out.println(JSON.createObjectNode().put("kind", "node").put("id", n.id())
                                    .put("type", n.type().name().toLowerCase(Locale.ROOT)).put("name", n.name()).put("version", n.version()));
                        }
                        for (LineageGraph.Edge e : g.edges()) {
                            out.println(JSON.createObjectNode().put("kind", "edge").put("from", e.from().id()).put("to", e.to().id()));
                        }
                    }
                    default -> out.print(g.toText());
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a model and its versions (refused while an alias points at one).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                kiln.models().delete(name);
            }
            spec.commandLine().getOut().println("deleted model " + name);
            return 0;
        }
    }
}
