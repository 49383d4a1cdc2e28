package dev.kiln.duckdb;

import dev.kiln.KilnException;

/** Turns Arrow's start-up failures on Java 17+ into an error that says what to do. */
final class ArrowSupport {
    static final String FLAG = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private ArrowSupport() {
    }

    static RuntimeException explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof ExceptionInInitializerError || t instanceof NoClassDefFoundError
                    || message.contains("java.nio") || message.contains("sun.misc.Unsafe")
                    || t.getClass().getName().endsWith("InaccessibleObjectException")) {
                return new KilnException("Arrow cannot start in this JVM: on Java 17+ it needs " + FLAG
                        + " (add it to the java command or to Add-Opens in your jar's manifest), or read with rows() instead.", failure);
            }
        }
        return failure instanceof RuntimeException r ? r : new KilnException("Arrow exchange failed: " + failure, failure);
    }
}
