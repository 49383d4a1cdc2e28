package dev.kiln.cli;

import dev.kiln.samples.ChurnQuickstart;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln quickstart}: the churn lifecycle end to end in a workspace (default ./kiln-quickstart). */
@Command(name = "quickstart", description = "Run the churn quickstart: data, features, training set, 24 models, the best one.",
        mixinStandardHelpOptions = true)
final class QuickstartCommand implements Callable<Integer> {
    @ParentCommand
    KilnCli root;

    @Option(names = "--customers", defaultValue = "100000", description = "Customers to generate (default 100000).")
    int customers;

    @Override
    public Integer call() {
        ChurnQuickstart.run(root.workspace != null ? root.workspace : Path.of("kiln-quickstart"), customers, System.out);
        return 0;
    }
}
