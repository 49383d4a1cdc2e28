package dev.kiln.cli;

import dev.kiln.Kiln;
import dev.kiln.experiments.Experiments;
import dev.kiln.experiments.RunJson;
import dev.kiln.experiments.RunPage;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.RunRecord;
import dev.kiln.experiments.ViewType;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln runs ...}: search and show experiment runs. */
@Command(name = "runs", description = "Experiment runs.", mixinStandardHelpOptions = true,
        subcommands = {RunsCommand.Search.class, RunsCommand.Show.class})
final class RunsCommand {

    @ParentCommand
    KilnCli root;

    private static void checkFormat(CommandSpec spec, String format) {
        if (!format.equals("jsonl") && !format.equals("text")) {
            throw new ParameterException(spec.commandLine(), "--format must be text or jsonl, not '" + format + "'");
        }
    }

    /** Splits an ORDER BY list on commas outside quotes and backticks. */
    static List<String> orderBy(List<String> options) {
        List<String> out = new ArrayList<>();
        for (String option : options) {
            StringBuilder cur = new StringBuilder();
            char quote = 0;
            for (char c : option.toCharArray()) {
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '`' || c == '"' || c == '\'') {
                    quote = c;
                } else if (c == ',') {
                    add(out, cur);
                    continue;
                }
                cur.append(c);
            }
            add(out, cur);
        }
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        cur.setLength(0);
    }

    private static void print(PrintWriter out, RunRecord run, String format, boolean detailed) {
        if (format.equals("jsonl")) {
            out.println(RunJson.toJsonLine(run));
            return;
        }
        var info = run.info();
        if (!detailed) {
            out.println(info.runId() + "  " + info.runName() + "  " + info.status() + "  " + Instant.ofEpochMilli(info.startTime())
                    + "  params " + new TreeMap<>(run.data().params()) + "  metrics " + new TreeMap<>(run.data().metrics()));
            return;
        }
        out.println("run_id:        " + info.runId());
        out.println("run_name:      " + info.runName());
        out.println("experiment_id: " + info.experimentId());
        out.println("status:        " + info.status());
        out.println("start_time:    " + Instant.ofEpochMilli(info.startTime()));
        out.println("end_time:      " + (info.endTime() == null ? "" : Instant.ofEpochMilli(info.endTime())));
        out.println("user_id:       " + info.userId());
        out.println("lifecycle:     " + info.lifecycleStage());
        if (!info.parentRunId().isEmpty()) {
            out.println("parent_run_id: " + info.parentRunId());
        }
        out.println("artifact_uri:  " + info.artifactUri());
        section(out, "params", new TreeMap<>(run.data().params()));
        section(out, "metrics", new TreeMap<>(run.data().metrics()));
        section(out, "tags", new TreeMap<>(run.data().tags()));
        if (!run.inputs().isEmpty()) {
            out.println("inputs:");
            run.inputs().forEach(in -> out.println("  " + in.name() + "@v" + in.version() + " (" + in.context() + ")"));
        }
    }

    private static void section(PrintWriter out, String title, Map<String, ?> values) {
        if (!values.isEmpty()) {
            out.println(title + ":");
            values.forEach((k, v) -> out.println("  " + k + " = " + v));
        }
    }

    @Command(name = "search", description = "Search the runs of an experiment with MLflow's filter grammar.")
    static final class Search implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--experiment", required = true, split = ",", paramLabel = "NAME",
                description = "Experiment name or id (repeat or separate by commas for several).")
        List<String> experiments;
        @Option(names = "--filter", defaultValue = "", paramLabel = "EXPR",
                description = "e.g. \"metrics.auc > 0.8 and params.max_depth = '6'\".")
        String filter;
        @Option(names = "--order-by", paramLabel = "EXPR", description = "e.g. \"metrics.auc DESC, start_time\" (default start_time DESC).")
        List<String> orderBy = new ArrayList<>();
        @Option(names = "--max", defaultValue = "1000", paramLabel = "N", description = "At most N runs (default 1000).")
        int max;
        @Option(names = "--all", description = "Include deleted runs.")
        boolean all;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() {
            checkFormat(spec, format);
            if (max < 1) {
                throw new ParameterException(spec.commandLine(), "--max must be at least 1, not " + max);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                Experiments ex = kiln.experiments();
                List<String> order = orderBy(orderBy);
                int left = max;
                String token = "";
                do {
                    RunQuery query = RunQuery.builder(experiments).filter(filter).orderBy(order.toArray(String[]::new))
                            .maxResults(Math.min(left, RunQuery.MAX_RESULTS_LIMIT)).pageToken(token)
                            .viewType(all ? ViewType.ALL : ViewType.ACTIVE_ONLY).build();
                    RunPage page = ex.searchRuns(query);
                    for (RunRecord run : page.runs()) {
                        print(out, run, format, false);
                    }
                    left -= page.runs().size();
                    token = page.nextPageToken();
                } while (left > 0 && !token.isEmpty());
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show one run: info, params, latest metrics, tags and inputs.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() {
            checkFormat(spec, format);
            try (Kiln kiln = parent.root.open()) {
                print(spec.commandLine().getOut(), kiln.experiments().getRun(runId), format, true);
            }
            return 0;
        }
    }
}
