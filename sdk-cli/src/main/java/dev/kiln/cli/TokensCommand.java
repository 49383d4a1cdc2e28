package dev.kiln.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.serving.IssuedToken;
import dev.kiln.serving.TokenInfo;
import dev.kiln.serving.TokenStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln tokens create|list|revoke}: the workspace's bearer tokens for the serving REST API (needs MANAGE on the catalog). */
@Command(name = "tokens", description = "Bearer tokens for `kiln serve`'s REST routes, one per principal (needs MANAGE on the catalog).",
        mixinStandardHelpOptions = true, subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand {
    @ParentCommand
    KilnCli root;

    static ObjectNode json(TokenInfo t) {
        return ModelsCommand.JSON.createObjectNode().put("id", t.id()).put("principal", t.principal().name()).put("description", t.description())
                .put("created_by", t.createdBy().name()).put("created_at", t.createdAt().toString());
    }

    @Command(name = "create", description = "Issue a token acting as PRINCIPAL; the secret is printed once (only its hash is kept).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TokensCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--for", required = true, paramLabel = "PRINCIPAL", description = "Whom requests bearing the token act as.")
        String principal;
        @Option(names = "--description", defaultValue = "", description = "What the token is for.")
        String description;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() {
            ModelsCommand.checkFormat(spec, format, "text", "jsonl");
            try (Kiln kiln = parent.root.open()) {
                IssuedToken t = TokenStore.of(kiln).create(Principal.of(principal), description);
                PrintWriter out = spec.commandLine().getOut();
                if (format.equals("jsonl")) {
                    out.println(json(t.info()).put("token", t.secret()));
                } else {
                    out.println("token " + t.info().id() + " for " + principal + " (shown once, keep it secret):");
                    out.println(t.secret());
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List the tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        TokensCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() {
            ModelsCommand.checkFormat(spec, format, "text", "jsonl");
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                for (TokenInfo t : TokenStore.of(kiln).list()) {
                    if (format.equals("jsonl")) {
                        out.println(json(t));
                    } else {
                        out.printf("%-16s %-16s %s by %s  %s%n", t.id(), t.principal(), t.createdAt(), t.createdBy(), t.description());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by id; requests bearing it are refused from then on.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        TokensCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (Kiln kiln = parent.root.open()) {
                TokenStore.of(kiln).revoke(id);
            }
            spec.commandLine().getOut().println("revoked " + id);
            return 0;
        }
    }
}
