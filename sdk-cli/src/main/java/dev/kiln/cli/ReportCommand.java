package dev.kiln.cli;

import dev.kiln.Kiln;
import dev.kiln.monitoring.InferenceLogger;
import dev.kiln.monitoring.MonitorSpec;
import dev.kiln.report.ExperimentReport;
import dev.kiln.report.MonitorReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln report}: a self-contained HTML page of an experiment's runs, or of a monitored table's drift. */
@Command(name = "report", description = "Write an HTML report of an experiment, or of the drift a monitor recorded "
        + "(charts as inline SVG, no network).", mixinStandardHelpOptions = true)
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    KilnCli root;
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    static final class Subject {
        @Option(names = "--experiment", description = "The experiment.")
        String experiment;
        @Option(names = "--monitor", paramLabel = "TABLE|MODEL_URI",
                description = "The monitored table, or models:/NAME[...] for the model's inference table.")
        String monitor;
    }

    @Option(names = "--metrics-table", defaultValue = MonitorSpec.DEFAULT_METRICS_TABLE,
            description = "With --monitor: where the monitor wrote its statistics (default monitoring.metrics).")
    String metricsTable;
    @Option(names = "--out", required = true, description = "The folder to write index.html into.")
    Path out;

    @Override
    public Integer call() {
        try (Kiln kiln = root.open()) {
            Path page = subject.experiment != null
                    ? ExperimentReport.write(kiln.experiments(), subject.experiment, out)
                    : MonitorReport.write(kiln.lakehouse(), monitoredTable(subject.monitor), metricsTable, out);
            spec.commandLine().getOut().println("report written to " + page.toAbsolutePath());
        }
        return 0;
    }

    /** A model's monitors record its inference table as their target. */
    static String monitoredTable(String target) {
        if (!target.startsWith("models:/")) {
            return target;
        }
        String name = target.substring("models:/".length()).split("[/@]", 2)[0];
        return InferenceLogger.defaultTable(name);
    }
}
