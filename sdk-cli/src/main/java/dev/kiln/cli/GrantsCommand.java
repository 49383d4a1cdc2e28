package dev.kiln.cli;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Grant;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.governance.SecurableType;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln grants grant|revoke PRIVILEGE ON TYPE NAME TO PRINCIPAL} and {@code kiln grants list TYPE NAME}. */
@Command(name = "grants", description = "Privileges on catalogs, schemas, tables, feature tables, experiments and models.",
        mixinStandardHelpOptions = true, subcommands = {GrantsCommand.GrantCmd.class, GrantsCommand.Revoke.class, GrantsCommand.ListGrants.class})
final class GrantsCommand {
    @ParentCommand
    KilnCli root;

    static Securable securable(CommandSpec spec, String type, String name) {
        SecurableType t;
        try {
            t = SecurableType.valueOf(type.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Unknown object type '" + type + "': use one of "
                    + Arrays.stream(SecurableType.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
        }
        return t == SecurableType.CATALOG ? Securable.CATALOG : new Securable(t, name);
    }

    static Privilege privilege(CommandSpec spec, String text) {
        try {
            return Privilege.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Unknown privilege '" + text + "': use one of " + Arrays.toString(Privilege.values()));
        }
    }

    /** The shared {@code PRIVILEGE ON TYPE NAME TO|FROM PRINCIPAL} arguments. */
    abstract static class Change implements Callable<Integer> {
        @ParentCommand
        GrantsCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "PRIVILEGE")
        String privilege;
        @Parameters(index = "1", paramLabel = "ON")
        String on;
        @Parameters(index = "2", paramLabel = "TYPE", description = "catalog, schema, table, feature_table, experiment or model")
        String type;
        @Parameters(index = "3", paramLabel = "NAME")
        String name;
        @Parameters(index = "4", paramLabel = "TO")
        String to;
        @Parameters(index = "5", paramLabel = "PRINCIPAL")
        String principal;

        abstract void apply(Kiln kiln, Privilege p, Securable s, Principal who);

        abstract String done();

        @Override
        public Integer call() {
            if (!on.equalsIgnoreCase("on") || !(to.equalsIgnoreCase("to") || to.equalsIgnoreCase("from"))) {
                throw new ParameterException(spec.commandLine(), "Expected PRIVILEGE ON TYPE NAME TO PRINCIPAL, e.g. "
                        + "`grants grant EXECUTE ON model churn TO svc`.");
            }
            Privilege p = privilege(spec, privilege);
            Securable s = securable(spec, type, name);
            try (Kiln kiln = parent.root.open()) {
                apply(kiln, p, s, Principal.of(principal));
            }
            spec.commandLine().getOut().println(done() + " " + p + " on " + s + " " + to.toLowerCase(Locale.ROOT) + " " + principal);
            return 0;
        }
    }

    @Command(name = "grant", description = "Grant PRIVILEGE ON TYPE NAME TO PRINCIPAL (needs MANAGE on the object).")
    static final class GrantCmd extends Change {
        @Override
        void apply(Kiln kiln, Privilege p, Securable s, Principal who) {
            kiln.governance().grant(p, s, who);
        }

        @Override
        String done() {
            return "granted";
        }
    }

    @Command(name = "revoke", description = "Revoke PRIVILEGE ON TYPE NAME FROM|TO PRINCIPAL (needs MANAGE on the object).")
    static final class Revoke extends Change {
        @Override
        void apply(Kiln kiln, Privilege p, Securable s, Principal who) {
            kiln.governance().revoke(p, s, who);
        }

        @Override
        String done() {
            return "revoked";
        }
    }

    @Command(name = "list", description = "List the privileges granted directly on an object, and its owner.")
    static final class ListGrants implements Callable<Integer> {
        @ParentCommand
        GrantsCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;
        @Parameters(index = "1", paramLabel = "NAME", arity = "0..1")
        String name = "workspace";
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text): one object per grant, with the owner.")
        String format;

        @Override
        public Integer call() {
            ModelsCommand.checkFormat(spec, format, "text", "jsonl");
            Securable s = securable(spec, type, name);
            try (Kiln kiln = parent.root.open()) {
                if (format.equals("jsonl")) {
                    Principal owner = kiln.governance().owner(s);
                    for (Grant g : kiln.governance().grants(s)) {
                        spec.commandLine().getOut().println(ModelsCommand.JSON.createObjectNode().put("object", s.toString())
                                .put("owner", owner.name()).put("privilege", g.privilege().name()).put("principal", g.principal().name())
                                .put("granted_by", g.grantor().name()).put("time", g.time().toString()));
                    }
                    return 0;
                }
                spec.commandLine().getOut().println("owner " + kiln.governance().owner(s));
                for (Grant g : kiln.governance().grants(s)) {
                    spec.commandLine().getOut().println(g.privilege() + " " + g.principal() + " (granted by " + g.grantor() + " at " + g.time() + ")");
                }
            }
            return 0;
        }
    }
}
