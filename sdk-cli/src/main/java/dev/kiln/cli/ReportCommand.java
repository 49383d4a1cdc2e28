package dev.kiln.cli;

import dev.kiln.Kiln;
import dev.kiln.report.ExperimentReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kiln report}: a self-contained HTML page of an experiment's runs. */
@Command(name = "report", description = "Write an HTML report of an experiment (charts as inline SVG, no network).",
        mixinStandardHelpOptions = true)
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    KilnCli root;
    @Spec
    CommandSpec spec;
    @Option(names = "--experiment", required = true, description = "The experiment.")
    String experiment;
    @Option(names = "--out", required = true, description = "The folder to write index.html into.")
    Path out;

    @Override
    public Integer call() {
        try (Kiln kiln = root.open()) {
            Path page = ExperimentReport.write(kiln.experiments(), experiment, out);
            spec.commandLine().getOut().println("report written to " + page.toAbsolutePath());
        }
        return 0;
    }
}
