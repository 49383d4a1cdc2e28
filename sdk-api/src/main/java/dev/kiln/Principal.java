package dev.kiln;

import java.util.Objects;

/**
 * Who acts on a workspace: a user or a service, known by name. Every commit and audit row
 * records the principal that made it.
 *
 * @param name the principal's name, non-blank
 */
public record Principal(String name) {

    /**
     * Checks the name.
     *
     * @param name the principal's name
     * @throws InvalidArgumentException if the name is null or blank
     */
    public Principal {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("A principal needs a non-blank name; pass e.g. Principal.of(\"alice\").");
        }
    }

    /**
     * Returns the principal with this name.
     *
     * @param name the principal's name
     * @return the principal
     * @throws InvalidArgumentException if the name is null or blank
     */
    public static Principal of(String name) {
        return new Principal(name);
    }

    /**
     * Returns the operating-system user running this JVM ({@code user.name}), or {@code "unknown"}.
     *
     * @return the current OS user as a principal
     */
    public static Principal currentUser() {
        String user = System.getProperty("user.name");
        return new Principal(Objects.requireNonNullElse(user == null || user.isBlank() ? null : user, "unknown"));
    }

    @Override
    public String toString() {
        return name;
    }
}
