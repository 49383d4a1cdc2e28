package dev.kiln.cli;

import dev.kiln.Kiln;
import dev.kiln.KilnException;
import dev.kiln.Principal;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code kiln} command. Exit codes: 0 success, 1 a Kiln error (message on stderr), 2 a usage
 * error. Output meant for machines comes with {@code --format jsonl|csv}.
 */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0",
        description = "Kiln: lakehouse tables, features, experiments, models and a fast predictor in one folder.",
        subcommands = {TableCommand.class, SqlCommand.class, FeaturesCommand.class, TrainingSetCommand.class, TrainCommand.class,
            RunsCommand.class, PredictCommand.class, ModelsCommand.class, GrantsCommand.class, AuditCommand.class, MonitorCommand.class,
            ReportCommand.class, QuickstartCommand.class, SampleCommand.class, ServeCommand.class, TokensCommand.class})
public final class KilnCli {

    @Option(names = "--workspace", description = "The workspace folder (default: ./kiln-workspace).", scope = CommandLine.ScopeType.INHERIT)
    Path workspace;

    @Option(names = "--as", description = "Act as this principal (default: the OS user).", scope = CommandLine.ScopeType.INHERIT)
    String principal;

    /**
     * Opens the workspace named by {@code --workspace}, acting as {@code --as}.
     *
     * @return the open workspace
     */
    Kiln open() {
        Path root = workspace != null ? workspace : Path.of("kiln-workspace");
        return Kiln.builder().root(root).principal(principal == null ? Principal.currentUser() : Principal.of(principal)).open();
    }

    /**
     * Runs the command line and returns the exit code.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return 0, 1 or 2
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new KilnCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof KilnException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            commandLine.getErr().println("error: " + e);
            return 1;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Entry point.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8));
        System.exit(code);
    }
}
