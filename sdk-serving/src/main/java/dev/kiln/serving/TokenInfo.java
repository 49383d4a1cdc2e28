package dev.kiln.serving;

import dev.kiln.Principal;
import java.time.Instant;

/**
 * A bearer token as the workspace records it: never the secret, only who it stands for.
 *
 * @param id the token's public id, used to revoke it
 * @param principal the principal a request bearing the token acts as
 * @param description what the token is for, e.g. the CI job that holds it
 * @param createdBy who issued it
 * @param createdAt when it was issued
 */
public record TokenInfo(String id, Principal principal, String description, Principal createdBy, Instant createdAt) {
}
