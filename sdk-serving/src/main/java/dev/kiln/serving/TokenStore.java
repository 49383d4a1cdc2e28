package dev.kiln.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.NotFoundException;
import dev.kiln.Principal;
import dev.kiln.StorageException;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens of a workspace, each standing for one principal: the serving module's REST
 * routes act as the principal whose token a request bears, under that principal's grants.
 *
 * <p>Tokens live in {@code <workspace>/security/tokens.json}, as SHA-256 hashes: the secret is shown
 * once, when issued. Issuing, listing and revoking need MANAGE on the catalog and are audited.
 * Like every grant in Kiln this is enforced in-process: whoever can write the workspace folder can
 * write that file too.
 *
 * <pre>{@code
 * IssuedToken t = TokenStore.of(kiln).create(Principal.of("ci"), "release pipeline");
 * // curl -H "Authorization: Bearer " + t.secret() ...
 * }</pre>
 */
public final class TokenStore {
    /** Where the tokens are kept, relative to the workspace root. */
    public static final String FILE = "security/tokens.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Kiln kiln;
    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(null, -1, Map.of());

    /** The tokens as last read, keyed by hash, with the file stamp they were read at. */
    private record Snapshot(FileTime modified, long size, Map<String, Principal> byHash) {
    }

    private TokenStore(Kiln kiln) {
        this.kiln = kiln;
        this.file = kiln.root().resolve(FILE);
    }

    /**
     * Returns the token store of a workspace, acting as the workspace's principal.
     *
     * @param kiln the open workspace
     * @return its tokens
     */
    public static TokenStore of(Kiln kiln) {
        return new TokenStore(kiln);
    }

    /**
     * Issues a token for a principal.
     *
     * @param principal whom requests bearing the token act as
     * @param description what the token is for (may be empty)
     * @return the token, with its secret (shown only now)
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the catalog
     * @throws StorageException if the token file cannot be written
     */
    public IssuedToken create(Principal principal, String description) {
        kiln.governance().check(Privilege.MANAGE, Securable.CATALOG, "token.create");
        checkDescription(description);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = "kiln_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        TokenInfo info = new TokenInfo("tok_" + HexFormat.of().formatHex(idBytes), principal, description == null ? "" : description,
                kiln.principal(), Instant.now());
        update(tokens -> {
            ObjectNode t = tokens.addObject();
            t.put("id", info.id()).put("principal", principal.name()).put("sha256", sha256(secret)).put("description", info.description())
                    .put("created_by", info.createdBy().name()).put("created_at", info.createdAt().toString());
        });
        kiln.governance().audit("token.create", Securable.CATALOG, "ALLOWED", Map.of("id", info.id(), "principal", principal.name()));
        return new IssuedToken(info, secret);
    }

    /**
     * Lists the tokens (without secrets), oldest first.
     *
     * @return the tokens
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the catalog
     */
    public List<TokenInfo> list() {
        kiln.governance().check(Privilege.MANAGE, Securable.CATALOG, "token.list");
        List<TokenInfo> out = new ArrayList<>();
        for (JsonNode t : read()) {
            out.add(new TokenInfo(t.path("id").asText(), Principal.of(t.path("principal").asText()), t.path("description").asText(),
                    Principal.of(t.path("created_by").asText()), Instant.parse(t.path("created_at").asText())));
        }
        return out;
    }

    /**
     * Revokes a token: requests bearing it are refused from now on.
     *
     * @param id the token id shown by {@link #list()}
     * @throws NotFoundException if no token has this id
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the catalog
     */
    public void revoke(String id) {
        kiln.governance().check(Privilege.MANAGE, Securable.CATALOG, "token.revoke");
        boolean[] found = {false};
        update(tokens -> {
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i).path("id").asText().equals(id)) {
                    tokens.remove(i);
                    found[0] = true;
                    return;
                }
            }
        });
        if (!found[0]) {
            throw new NotFoundException("No token has the id '" + id + "'; `kiln tokens list` shows the ids.");
        }
        kiln.governance().audit("token.revoke", Securable.CATALOG, "ALLOWED", Map.of("id", id));
    }

    /**
     * Finds the principal a token stands for. Needs no privilege: it is how a request is identified.
     *
     * @param secret the bearer token a request presented
     * @return the principal, or empty if the token is unknown or revoked
     * @throws StorageException if the token file cannot be read
     */
    public Optional<Principal> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(current().byHash().get(sha256(secret)));
    }

    /** The tokens, re-read only when the file changed (another process may have issued or revoked one). */
    private Snapshot current() {
        try {
            FileTime modified;
            long size;
            try {
                modified = Files.getLastModifiedTime(file);
                size = Files.size(file);
            } catch (NoSuchFileException e) {
                return new Snapshot(null, -1, Map.of());
            }
            Snapshot s = snapshot;
            if (modified.equals(s.modified()) && size == s.size()) {
                return s;
            }
            Map<String, Principal> byHash = new java.util.HashMap<>();
            for (JsonNode t : read()) {
                byHash.put(t.path("sha256").asText(), Principal.of(t.path("principal").asText()));
            }
            s = new Snapshot(modified, size, Map.copyOf(byHash));
            snapshot = s;
            return s;
        } catch (IOException e) {
            throw new StorageException("Cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    private ArrayNode read() {
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            if (root == null || !root.path("tokens").isArray()) {
                throw new StorageException("The token file " + file + " is damaged (no 'tokens' list); restore it or delete it and issue new tokens.");
            }
            return (ArrayNode) root.get("tokens");
        } catch (NoSuchFileException e) {
            return JSON.createArrayNode();
        } catch (IOException e) {
            throw new StorageException("Cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Read-modify-write under a file lock, replacing the file atomically so readers never see half of it. */
    private void update(java.util.function.Consumer<ArrayNode> change) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lock = FileChannel.open(file.resolveSibling("tokens.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lock.lock()) {
                ArrayNode tokens = read();
                change.accept(tokens);
                ObjectNode root = JSON.createObjectNode();
                root.set("tokens", tokens);
                Path tmp = Files.createTempFile(file.getParent(), "tokens", ".tmp");
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot write the token file " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    static void checkDescription(String description) {
        if (description != null && description.length() > 500) {
            throw new InvalidArgumentException("A token description is at most 500 characters.");
        }
    }
}
