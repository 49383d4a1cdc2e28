package dev.kiln.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.Kiln;
import dev.kiln.governance.AuditEvent;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln audit}: the audit log, oldest first (also queryable as {@code system.audit} in SQL). */
@Command(name = "audit", description = "Print the audit log, oldest first (SQL: SELECT * FROM system.audit).", mixinStandardHelpOptions = true)
final class AuditCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    KilnCli root;
    @Spec
    CommandSpec spec;
    @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
    String format;
    @Option(names = "--last", paramLabel = "N", description = "Only the last N events.")
    Integer last;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("jsonl")) {
            throw new ParameterException(spec.commandLine(), "--format must be text or jsonl");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Kiln kiln = root.open()) {
            List<AuditEvent> events = kiln.governance().auditLog();
            if (last != null && last < events.size()) {
                events = events.subList(events.size() - Math.max(0, last), events.size());
            }
            for (AuditEvent e : events) {
                if (format.equals("jsonl")) {
                    ObjectNode o = JSON.createObjectNode().put("time", e.time().toString()).put("principal", e.principal().name())
                            .put("action", e.action()).put("securable_type", e.securable().type().name().toLowerCase(Locale.ROOT))
                            .put("securable_name", e.securable().name()).put("outcome", e.outcome());
                    ObjectNode details = o.putObject("details");
                    e.details().forEach(details::put);
                    out.println(o);
                } else {
                    out.println(e.time() + " " + e.principal().name() + " " + e.outcome() + " " + e.action() + " " + e.securable()
                            + (e.details().isEmpty() ? "" : " " + e.details()));
                }
            }
        }
        return 0;
    }
}
