package dev.kiln.models;

import dev.kiln.InvalidArgumentException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to a model: {@code models:/name/3} (one version), {@code models:/name@champion}
 * (whatever version an alias points at) or {@code runs:/<run_id>/<path>} (an artifact of a run).
 *
 * <pre>{@code
 * ModelUri uri = ModelUri.parse("models:/churn@champion");
 * uri.kind();   // ALIAS
 * uri.alias();  // "champion"
 * }</pre>
 *
 * @param kind what the URI points at
 * @param name the model name, or null for a run URI
 * @param version the version number, or 0 unless {@code kind} is {@link Kind#VERSION}
 * @param alias the alias, or null unless {@code kind} is {@link Kind#ALIAS}
 * @param runId the run id, or null unless {@code kind} is {@link Kind#RUN}
 * @param path the artifact path inside the run, or null unless {@code kind} is {@link Kind#RUN}
 */
public record ModelUri(Kind kind, String name, long version, String alias, String runId, String path) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]{0,63}");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,128}");

    /** What a {@link ModelUri} points at. */
    public enum Kind {
        /** One immutable version: {@code models:/name/3}. */
        VERSION,
        /** The version an alias points at, which may move: {@code models:/name@champion}. */
        ALIAS,
        /** A model file logged as an artifact of a run: {@code runs:/<run_id>/model/model.json}. */
        RUN
    }

    /**
     * Checks the parts.
     *
     * @param kind the kind
     * @param name the model name
     * @param version the version
     * @param alias the alias
     * @param runId the run id
     * @param path the artifact path
     * @throws InvalidArgumentException if a part is missing or malformed
     */
    public ModelUri {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case VERSION -> {
                checkName(name);
                if (version < 1) {
                    throw new InvalidArgumentException("Model versions start at 1, not " + version + ".");
                }
            }
            case ALIAS -> {
                checkName(name);
                checkAlias(alias);
            }
            case RUN -> {
                if (runId == null || !RUN_ID.matcher(runId).matches()) {
                    throw new InvalidArgumentException("'" + runId + "' is not a run id (letters, digits, '_' and '-').");
                }
                if (path == null || path.isBlank() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
                    throw new InvalidArgumentException("Run artifact path '" + path
                            + "' must be relative to the run, without '..', e.g. runs:/" + runId + "/model/model.json.");
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Parses a URI.
     *
     * @param uri {@code models:/name/3}, {@code models:/name@alias} or {@code runs:/<run_id>/<path>}
     * @return the parsed URI
     * @throws InvalidArgumentException naming the accepted forms if the text is none of them
     */
    public static ModelUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw bad(uri, "it is empty");
        }
        String u = uri.trim();
        if (u.startsWith("models:/")) {
            String rest = u.substring("models:/".length());
            int at = rest.indexOf('@');
            int slash = rest.indexOf('/');
            if (at >= 0 && slash < 0) {
                String name = rest.substring(0, at);
                String alias = rest.substring(at + 1);
                if (name.isEmpty() || alias.isEmpty()) {
                    throw bad(uri, "name and alias must both be present");
                }
                return alias(name, alias);
            }
            if (slash > 0 && at < 0 && rest.indexOf('/', slash + 1) < 0) {
                String name = rest.substring(0, slash);
                String v = rest.substring(slash + 1);
                try {
                    return version(name, Long.parseLong(v));
                } catch (NumberFormatException e) {
                    throw bad(uri, "'" + v + "' is not a version number");
                }
            }
            throw bad(uri, "a models:/ URI is models:/NAME/VERSION or models:/NAME@ALIAS");
        }
        if (u.startsWith("runs:/")) {
            String rest = u.substring("runs:/".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw bad(uri, "a runs:/ URI is runs:/RUN_ID/ARTIFACT_PATH");
            }
            return run(rest.substring(0, slash), rest.substring(slash + 1));
        }
        throw bad(uri, "it starts with neither models:/ nor runs:/");
    }

    /**
     * Tells whether a string looks like a model or run URI (rather than a file path).
     *
     * @param text the text
     * @return true if it starts with {@code models:/} or {@code runs:/}
     */
    public static boolean isUri(String text) {
        return text != null && (text.startsWith("models:/") || text.startsWith("runs:/"));
    }

    /**
     * A URI for one version.
     *
     * @param name the model name
     * @param version the version number, from 1
     * @return {@code models:/name/version}
     */
    public static ModelUri version(String name, long version) {
        return new ModelUri(Kind.VERSION, name, version, null, null, null);
    }

    /**
     * A URI for an alias.
     *
     * @param name the model name
     * @param alias the alias
     * @return {@code models:/name@alias}
     */
    public static ModelUri alias(String name, String alias) {
        return new ModelUri(Kind.ALIAS, name, 0, alias, null, null);
    }

    /**
     * A URI for a run artifact.
     *
     * @param runId the run id
     * @param path the artifact path inside the run
     * @return {@code runs:/runId/path}
     */
    public static ModelUri run(String runId, String path) {
        return new ModelUri(Kind.RUN, null, 0, null, runId, path);
    }

    /**
     * Checks a registered model name: 1 to 128 letters, digits, {@code _ . -}, starting with a
     * letter or digit, without {@code ..}.
     *
     * @param name the name
     * @return the name
     * @throws InvalidArgumentException if the name is not valid
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new InvalidArgumentException("'" + name + "' is not a valid model name: use 1 to 128 letters, digits, '_', '.' "
                    + "or '-', starting with a letter or digit, e.g. churn_model.");
        }
        return name;
    }

    /**
     * Checks an alias name: a letter or {@code _} then letters, digits, {@code _ -}; not
     * {@code latest} and not a version-like {@code v<digits>}.
     *
     * @param alias the alias
     * @return the alias
     * @throws InvalidArgumentException if the alias is not valid
     */
    public static String checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new InvalidArgumentException("'" + alias + "' is not a valid alias: use a letter or '_' then letters, digits, "
                    + "'_' or '-', e.g. champion.");
        }
        String lower = alias.toLowerCase(Locale.ROOT);
        if (lower.equals("latest") || lower.matches("v\\d+")) {
            throw new InvalidArgumentException("Alias '" + alias + "' is reserved (latest and v<number> look like versions); choose "
                    + "another name, e.g. champion.");
        }
        return alias;
    }

    private static InvalidArgumentException bad(String uri, String why) {
        return new InvalidArgumentException("'" + uri + "' is not a model URI: " + why
                + ". Use models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN_ID/PATH.");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VERSION -> "models:/" + name + "/" + version;
            case ALIAS -> "models:/" + name + "@" + alias;
            case RUN -> "runs:/" + runId + "/" + path;
        };
    }
}
