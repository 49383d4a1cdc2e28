package dev.kiln.models;

/**
 * MLflow's model stages, for teams migrating from MLflow's stage workflow. Kiln keeps them on
 * aliases: a version in {@link #STAGING} is the one the alias {@code staging} points at, in
 * {@link #PRODUCTION} the one {@code production} points at; {@link #ARCHIVED} is recorded as the
 * version tag {@code kiln.stage=Archived}. Prefer aliases in new code.
 */
public enum Stage {
    /** No stage. */
    NONE,
    /** Alias {@code staging}. */
    STAGING,
    /** Alias {@code production}. */
    PRODUCTION,
    /** Tag {@code kiln.stage=Archived}. */
    ARCHIVED;

    /**
     * Returns the alias this stage is kept on.
     *
     * @return {@code staging} or {@code production}, or null for NONE and ARCHIVED
     */
    public String alias() {
        return switch (this) {
            case STAGING -> "staging";
            case PRODUCTION -> "production";
            default -> null;
        };
    }
}
