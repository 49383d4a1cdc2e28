package dev.kiln.cli;

import dev.kiln.samples.LakehouseTour;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code kiln sample}: runs the lakehouse tour in the workspace (default ./kiln-sample). */
@Command(name = "sample", description = "Run the lakehouse tour sample.", mixinStandardHelpOptions = true)
final class SampleCommand implements Callable<Integer> {
    @ParentCommand
    KilnCli root;

    @Override
    public Integer call() {
        LakehouseTour.run(root.workspace != null ? root.workspace : Path.of("kiln-sample"), System.out);
        return 0;
    }
}
