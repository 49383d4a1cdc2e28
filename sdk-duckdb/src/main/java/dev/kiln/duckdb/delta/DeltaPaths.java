package dev.kiln.duckdb.delta;

import dev.kiln.StorageException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Delta paths: URI-encoded relative paths or absolute URIs, resolved against a table root. */
public final class DeltaPaths {
    private DeltaPaths() {
    }

    /**
     * Resolves a path from an add/remove action (or a DV 'p' path) to a local file.
     *
     * @param tableDir the table root
     * @param deltaPath the path as written in the log
     * @return the absolute, normalised file path
     */
    public static Path resolve(Path tableDir, String deltaPath) {
        int colon = deltaPath.indexOf(':');
        int slash = deltaPath.indexOf('/');
        if (colon > 1 && (slash < 0 || colon < slash)) {
            // An absolute URI with a scheme (file:/..., file:///..., s3://...).
            String scheme = deltaPath.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("file")) {
                throw new StorageException("Data file '" + deltaPath + "' of table " + tableDir + " is on '" + scheme
                        + "' storage; Kiln reads local (java.nio) paths only: copy the files next to the table.");
            }
            try {
                return Paths.get(URI.create(deltaPath)).toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                String rest = deltaPath.substring(colon + 1);
                while (rest.startsWith("//")) {
                    rest = rest.substring(1);
                }
                return Path.of(decode(rest)).toAbsolutePath().normalize();
            }
        }
        String decoded = decode(deltaPath);
        Path p = Path.of(decoded);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        return tableDir.toAbsolutePath().resolve(p).normalize();
    }

    /**
     * Percent-decodes a URI path (UTF-8); '+' stays '+'.
     *
     * @param s the encoded text
     * @return the decoded text
     */
    public static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Percent-encodes a relative file path for the log (as Spark does: only characters that are not legal in a URI path).
     *
     * @param relative the relative path with '/' separators
     * @return the encoded path
     */
    public static String encode(String relative) {
        StringBuilder sb = new StringBuilder(relative.length());
        for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/=!$&'()*+,;:@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * Returns the path to write in an add action for a file under the table root.
     *
     * @param tableDir the table root
     * @param file a file inside it
     * @return the relative, URI-encoded path with '/' separators
     */
    public static String relative(Path tableDir, Path file) {
        Path rel = tableDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        return encode(sb.toString());
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
