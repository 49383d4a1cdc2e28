package dev.kiln.cli;

import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Names;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Snapshot;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.VacuumResult;
import dev.kiln.lakehouse.WriteOptions;
import dev.kiln.lakehouse.WriteSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kiln table ...}: create, load, read, inspect and maintain lakehouse tables. */
@Command(name = "table", description = "Lakehouse tables.", mixinStandardHelpOptions = true,
        subcommands = {TableCommand.Create.class, TableCommand.Append.class, TableCommand.Read.class, TableCommand.History.class,
            TableCommand.Optimize.class, TableCommand.Vacuum.class, TableCommand.ListTables.class, TableCommand.Drop.class,
            TableCommand.Checkpoint.class})
final class TableCommand {

    @ParentCommand
    KilnCli root;

    static Table table(Kiln kiln, String name) {
        return kiln.lakehouse().table(name);
    }

    @Command(name = "create", description = "Create a table (and its schema if missing).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "schema.table")
        String name;
        @Option(names = "--schema", required = true, description = "Columns, e.g. \"id BIGINT, ts TIMESTAMP, x DOUBLE\".")
        String schema;
        @Option(names = "--partition-by", split = ",", description = "Partition columns.")
        List<String> partitionBy = List.of();
        @Option(names = "--description", description = "A description.")
        String description = "";

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                kiln.lakehouse().createSchemaIfNotExists(Names.table(name).schema());
                Table t = kiln.lakehouse().createTable(TableDefinition.builder(name).schema(schema)
                        .partitionBy(partitionBy.toArray(String[]::new)).description(description).build());
                spec.commandLine().getOut().println("created " + t.name() + " at version " + t.latest().version());
            }
            return 0;
        }
    }

    @Command(name = "append", description = "Append rows from a CSV (with header) or Parquet file.")
    static final class Append implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--from", required = true, paramLabel = "FILE", description = "FILE.csv or FILE.parquet")
        Path from;
        @Option(names = "--merge-schema", description = "Add columns the file has and the table lacks.")
        boolean mergeSchema;
        @Option(names = "--overwrite", description = "Replace the table's rows instead of adding to them.")
        boolean overwrite;

        @Override
        public Integer call() {
            String file = from.getFileName().toString().toLowerCase(Locale.ROOT);
            WriteSource source;
            if (file.endsWith(".csv") || file.endsWith(".csv.gz")) {
                source = WriteSource.csv(from);
            } else if (file.endsWith(".parquet")) {
                source = WriteSource.parquet(from);
            } else {
                throw new InvalidArgumentException("Cannot tell the format of " + from + ": name it .csv or .parquet.");
            }
            WriteOptions options = overwrite ? WriteOptions.OVERWRITE : WriteOptions.APPEND;
            try (Kiln kiln = parent.root.open()) {
                CommitInfo c = table(kiln, name).write(source, mergeSchema ? options.withMergeSchema() : options);
                spec.commandLine().getOut().println("committed version " + c.version() + ": "
                        + c.operationMetrics().getOrDefault("numOutputRows", 0L) + " rows");
            }
            return 0;
        }
    }

    static final class Travel {
        @Option(names = "--version", description = "Read as of this version.")
        Long version;
        @Option(names = "--timestamp", description = "Read as of this instant (ISO-8601, e.g. 2024-05-01T00:00:00Z).")
        String timestamp;
    }

    static final class Target {
        @Parameters(index = "0", paramLabel = "NAME", arity = "0..1", description = "schema.table")
        String name;
        @Option(names = "--path", paramLabel = "DELTA_DIR", description = "Read any Delta table folder instead.")
        Path path;
    }

    @Command(name = "read", description = "Print a table's rows.")
    static final class Read implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
        @ArgGroup(exclusive = true)
        Travel travel;
        @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv (default jsonl).")
        String format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to a file instead of standard output.")
        Path out;
        @Option(names = "--columns", split = ",", description = "Only these columns.")
        List<String> columns;
        @Option(names = "--filter", description = "A SQL condition, e.g. \"region = 'EU'\".")
        String filter;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("jsonl") && !format.equals("csv")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format must be jsonl or csv");
            }
            try (Kiln kiln = parent.root.open()) {
                Table t = target.path != null ? kiln.lakehouse().tableAt(target.path.toAbsolutePath()) : table(kiln, target.name);
                Snapshot s = t.latest();
                if (travel != null && travel.version != null) {
                    s = t.asOfVersion(travel.version);
                } else if (travel != null && travel.timestamp != null) {
                    s = t.asOfTimestamp(parseInstant(travel.timestamp));
                }
                var scan = s.scan();
                if (columns != null) {
                    scan = scan.columns(columns);
                }
                if (filter != null) {
                    scan = scan.filter(filter);
                }
                try (Rows rows = scan.rows(); Writer w = writer()) {
                    RowWriter.write(rows, format, w);
                }
            }
            return 0;
        }

        private Writer writer() throws IOException {
            if (out == null) {
                return new NonClosingWriter(spec.commandLine().getOut());
            }
            return Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        }
    }

    static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e3) {
                    throw new InvalidArgumentException("Cannot read timestamp '" + text + "': use ISO-8601, e.g. 2024-05-01T00:00:00Z.");
                }
            }
        }
    }

    @Command(name = "history", description = "List a table's commits, newest first.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl.")
        String format;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                for (CommitInfo c : table(kiln, name).history()) {
                    if (format.equals("jsonl")) {
                        java.io.StringWriter line = new java.io.StringWriter();
                        try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(line)) {
                            g.writeStartObject();
                            g.writeNumberField("version", c.version());
                            g.writeStringField("timestamp", c.timestamp().toString());
                            g.writeStringField("operation", c.operation());
                            g.writeStringField("principal", c.principal());
                            g.writeStringField("engine", c.engine());
                            g.writeFieldName("operationParameters");
                            RowWriter.json(g, c.operationParameters());
                            g.writeFieldName("operationMetrics");
                            RowWriter.json(g, c.operationMetrics());
                            g.writeEndObject();
                        }
                        out.println(line);
                    } else {
                        out.printf("%6d  %-24s  %-14s  %-12s  %s%n", c.version(), c.timestamp(), c.operation(), c.principal(),
                                c.operationMetrics());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "optimize", description = "Compact small files.")
    static final class Optimize implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                CommitInfo c = table(kiln, name).optimize();
                spec.commandLine().getOut().println("version " + c.version() + " " + c.operation() + " " + c.operationMetrics());
            }
            return 0;
        }
    }

    @Command(name = "vacuum", description = "Delete files no version within the retention period needs.")
    static final class Vacuum implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--retention-hours", defaultValue = "168", description = "Keep removed files this long (default 168 = 7 days).")
        long hours;
        @Option(names = "--force", description = "Allow a retention under 7 days.")
        boolean force;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                VacuumResult r = table(kiln, name).vacuum(Duration.ofHours(hours), force);
                spec.commandLine().getOut().println("deleted " + r.deletedFiles().size() + " file(s)");
            }
            return 0;
        }
    }

    @Command(name = "checkpoint", description = "Write a checkpoint of the latest version.")
    static final class Checkpoint implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                spec.commandLine().getOut().println("checkpoint at version " + table(kiln, name).checkpoint());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List the tables of a schema, or every table.")
    static final class ListTables implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "SCHEMA", arity = "0..1")
        String schema;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                List<String> schemas = schema == null ? kiln.lakehouse().schemas() : List.of(schema);
                for (String s : schemas) {
                    kiln.lakehouse().tables(s).forEach(spec.commandLine().getOut()::println);
                }
            }
            return 0;
        }
    }

    @Command(name = "drop", description = "Drop a table and delete its files.")
    static final class Drop implements Callable<Integer> {
        @ParentCommand
        TableCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                kiln.lakehouse().dropTable(name);
                spec.commandLine().getOut().println("dropped " + name);
            }
            return 0;
        }
    }

    /** Lets a try-with-resources close the writer without closing standard output. */
    static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

}
