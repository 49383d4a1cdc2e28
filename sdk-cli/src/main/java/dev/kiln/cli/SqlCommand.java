package dev.kiln.cli;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.Rows;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kiln sql "SELECT ..."}: a read-only query over lakehouse tables. */
@Command(name = "sql", description = "Run a SQL query over lakehouse tables (VERSION AS OF / TIMESTAMP AS OF allowed).",
        mixinStandardHelpOptions = true)
final class SqlCommand implements Callable<Integer> {
    @ParentCommand
    KilnCli root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "QUERY")
    String query;
    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv.")
    String format;

    @Override
    public Integer call() throws IOException {
        try (Kiln kiln = root.open(); Rows rows = kiln.lakehouse().sql(query)) {
            RowWriter.write(rows, format, new TableCommand.NonClosingWriter(spec.commandLine().getOut()));
        }
        return 0;
    }
}
