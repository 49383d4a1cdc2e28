package dev.kiln.serving;

/**
 * A newly issued bearer token: the only moment its secret is known, since the workspace keeps a
 * SHA-256 hash of it.
 *
 * @param info what the workspace records about the token
 * @param secret the value to send as {@code Authorization: Bearer <secret>}
 */
public record IssuedToken(TokenInfo info, String secret) {
    @Override
    public String toString() {
        return "IssuedToken[" + info + ", secret hidden]";
    }
}
