package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-checked page tokens: the offset of the next page and a fingerprint of the query
 * (experiments, filter, order, view), signed with HMAC-SHA256. A token that was altered, or that
 * belongs to another query, is refused. Tokens survive restarts when the key does (a workspace
 * keeps its key).
 */
public final class PageTokens {

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 12;
    private static final int LENGTH = 1 + 4 + 8 + MAC_BYTES;

    private final SecretKeySpec key;

    /**
     * Creates the codec.
     *
     * @param secret the signing key, at least 16 bytes
     * @throws IllegalArgumentException if the key is too short
     */
    public PageTokens(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("A page-token key needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /**
     * Fingerprints a query, ignoring its page size and token.
     *
     * @param query the query
     * @return 8 bytes
     */
    public static long fingerprint(RunQuery query) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            update(md, query.experimentIds());
            md.update((byte) 1);
            md.update(query.filter().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 2);
            update(md, query.orderBy());
            md.update((byte) 3);
            md.update(query.viewType().name().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(md.digest()).getLong();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest md, List<String> values) {
        for (String v : values) {
            md.update(v.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
    }

    /**
     * Makes the token of a page.
     *
     * @param offset where the page starts in the ordered results
     * @param fingerprint the query's fingerprint
     * @return the token
     */
    public String encode(int offset, long fingerprint) {
        ByteBuffer buf = ByteBuffer.allocate(LENGTH);
        buf.put(VERSION).putInt(offset).putLong(fingerprint);
        buf.put(mac(buf.array(), LENGTH - MAC_BYTES), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    /**
     * Reads a token.
     *
     * @param token the token, empty for the first page
     * @param fingerprint the fingerprint of the query it is used with
     * @return the offset
     * @throws InvalidArgumentException if the token is malformed, altered, or made for another query
     */
    public int decode(String token, long fingerprint) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length != LENGTH || bytes[0] != VERSION) {
            throw invalid();
        }
        byte[] expected = Arrays.copyOf(mac(bytes, LENGTH - MAC_BYTES), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, LENGTH - MAC_BYTES, LENGTH))) {
            throw invalid();
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, LENGTH - 1);
        int offset = buf.getInt();
        long fp = buf.getLong();
        if (fp != fingerprint) {
            throw new InvalidArgumentException("This page token was made for another search (different experiments, "
                    + "filter, order or view); pass the same query with its token, or no token for the first page.");
        }
        if (offset < 0) {
            throw invalid();
        }
        return offset;
    }

    private static InvalidArgumentException invalid() {
        return new InvalidArgumentException("Invalid page token: it is malformed or was altered; pass the "
                + "nextPageToken of the previous page unchanged, or no token for the first page.");
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
