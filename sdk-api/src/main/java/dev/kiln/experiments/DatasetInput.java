package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A dataset a run used: a lakehouse table at a version, in a role. Searchable as MLflow's
 * {@code datasets.name}, {@code datasets.digest} and {@code datasets.context}.
 *
 * @param name the table name, e.g. {@code sales.orders}
 * @param version the table version the run read
 * @param context the role, e.g. {@code train} or {@code eval} (MLflow's dataset context)
 * @param digest a short fingerprint of the data; derived from name and version when not given
 */
public record DatasetInput(String name, long version, String context, String digest) {

    /** The role of training data. */
    public static final String TRAIN = "train";
    /** The role of evaluation data. */
    public static final String EVAL = "eval";

    /**
     * Checks the values and derives a missing digest.
     *
     * @param name the table name
     * @param version the table version
     * @param context the role
     * @param digest the fingerprint, or null/blank to derive one
     * @throws InvalidArgumentException if the name is blank or the version negative
     */
    public DatasetInput {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("A dataset input needs a table name, e.g. \"sales.orders\".");
        }
        if (version < 0) {
            throw new InvalidArgumentException("Dataset input '" + name + "' has version " + version
                    + "; table versions start at 0.");
        }
        context = context == null ? "" : context;
        if (digest == null || digest.isBlank()) {
            digest = digestOf(name, version);
        }
    }

    /**
     * Describes a table at a version in a role, with a derived digest.
     *
     * @param name the table name
     * @param version the table version
     * @param context the role, e.g. {@link #TRAIN}
     * @return the input
     * @throws InvalidArgumentException if the name is blank or the version negative
     */
    public static DatasetInput of(String name, long version, String context) {
        return new DatasetInput(name, version, context, null);
    }

    private static String digestOf(String name, long version) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((name + "@" + version).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
