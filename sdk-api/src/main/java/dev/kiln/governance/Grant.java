package dev.kiln.governance;

import dev.kiln.Principal;
import java.time.Instant;

/**
 * A privilege held by a principal on a securable.
 *
 * @param securable the object
 * @param principal who holds the privilege
 * @param privilege what it allows
 * @param grantor who granted it
 * @param time when it was granted
 */
public record Grant(Securable securable, Principal principal, Privilege privilege, Principal grantor, Instant time) {
}
