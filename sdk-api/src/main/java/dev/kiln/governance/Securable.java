package dev.kiln.governance;

import dev.kiln.InvalidArgumentException;
import java.util.Locale;
import java.util.Optional;

/**
 * An object privileges are granted on. Tables and feature tables sit in a schema, schemas,
 * experiments and models in the workspace catalog.
 *
 * @param type the kind of object
 * @param name its name: {@code schema.table} for tables, the schema name, the experiment or model name;
 *     {@code workspace} for the catalog
 */
public record Securable(SecurableType type, String name) {

    /** The workspace catalog. */
    public static final Securable CATALOG = new Securable(SecurableType.CATALOG, "workspace");

    /**
     * Checks the name.
     *
     * @param type the kind
     * @param name the name
     * @throws InvalidArgumentException if either is missing, or a table name is not {@code schema.table}
     */
    public Securable {
        if (type == null || name == null || name.isBlank()) {
            throw new InvalidArgumentException("A securable needs a type and a name, e.g. Securable.table(\"sales.orders\").");
        }
        if ((type == SecurableType.TABLE || type == SecurableType.FEATURE_TABLE) && name.indexOf('.') <= 0) {
            throw new InvalidArgumentException("A " + type.name().toLowerCase(Locale.ROOT) + " is named schema.table, not '" + name + "'.");
        }
        if (type == SecurableType.TABLE || type == SecurableType.FEATURE_TABLE || type == SecurableType.SCHEMA) {
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A schema.
     *
     * @param name the schema name
     * @return the securable
     */
    public static Securable schema(String name) {
        return new Securable(SecurableType.SCHEMA, name);
    }

    /**
     * A table.
     *
     * @param name {@code schema.table}
     * @return the securable
     */
    public static Securable table(String name) {
        return new Securable(SecurableType.TABLE, name);
    }

    /**
     * A feature table. A feature table is its lakehouse table with keys declared, so the two are one
     * object for governance: a privilege granted, or ownership recorded, on either
     * {@code featureTable("fs.customer")} or {@code table("fs.customer")} holds for both. The feature
     * store checks and audits under the feature table's name, the lakehouse under the table's.
     *
     * @param name {@code schema.table}
     * @return the securable
     * @throws InvalidArgumentException if the name is not {@code schema.table}
     */
    public static Securable featureTable(String name) {
        return new Securable(SecurableType.FEATURE_TABLE, name);
    }

    /**
     * An experiment, by name; it sits in the workspace catalog, so privileges on the catalog reach it.
     * Creating one needs CREATE on the catalog (its creator owns it); starting, resuming, ending and
     * deleting runs and logging into them need MODIFY; reading and searching its runs, and loading a
     * model by a {@code runs:/} URI of one of its runs, need READ; tagging it needs APPLY_TAG; deleting
     * or restoring it needs MANAGE.
     *
     * @param name the experiment name
     * @return the securable
     * @throws InvalidArgumentException if the name is blank
     */
    public static Securable experiment(String name) {
        return new Securable(SecurableType.EXPERIMENT, name);
    }

    /**
     * A registered model.
     *
     * @param name the model name
     * @return the securable
     */
    public static Securable model(String name) {
        return new Securable(SecurableType.MODEL, name);
    }

    /**
     * Returns the securable this one inherits privileges from.
     *
     * @return the schema of a table, the catalog of a schema, experiment or model; empty for the catalog
     */
    public Optional<Securable> parent() {
        return switch (type) {
            case CATALOG -> Optional.empty();
            case TABLE, FEATURE_TABLE -> Optional.of(schema(name.substring(0, name.indexOf('.'))));
            default -> Optional.of(CATALOG);
        };
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(Locale.ROOT) + " " + name;
    }
}
