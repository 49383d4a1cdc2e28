package dev.kiln.governance;

import dev.kiln.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/** Grants and owners as of one version of {@code system.grants}, replayed from its event rows. */
final class GrantState {
    private final Map<Securable, Map<String, Grant>> grants = new HashMap<>();
    private final Map<Securable, Principal> owners = new HashMap<>();

    void apply(String action, Securable securable, Principal principal, Privilege privilege, Principal grantor, java.time.Instant time) {
        switch (action) {
            case "GRANT" -> grants.computeIfAbsent(securable, s -> new LinkedHashMap<>())
                    .put(principal.name() + "/" + privilege, new Grant(securable, principal, privilege, grantor, time));
            case "REVOKE" -> {
                Map<String, Grant> onObject = grants.get(securable);
                if (onObject != null) {
                    onObject.remove(principal.name() + "/" + privilege);
                }
            }
            case "OWNER" -> owners.put(securable, principal);
            default -> {
                // an action written by a newer Kiln: ignore rather than refuse to read the table
            }
        }
    }

    List<Grant> grantsOn(Securable securable) {
        return new ArrayList<>(grants.getOrDefault(securable, Map.of()).values());
    }

    Principal explicitOwner(Securable securable) {
        return owners.get(securable);
    }

    boolean hasGrant(Principal principal, Privilege privilege, Securable securable) {
        Map<String, Grant> onObject = grants.get(securable);
        return onObject != null && onObject.containsKey(principal.name() + "/" + privilege);
    }

    /** True if the principal owns the object or anything above it. */
    boolean ownsOrInherits(Principal principal, Securable securable) {
        Set<Securable> seen = new HashSet<>();
        for (Securable s = securable; s != null && seen.add(s); s = s.parent().orElse(null)) {
            if (principal.equals(owners.get(s))) {
                return true;
            }
        }
        return false;
    }

    /** True if the privilege is granted on the object or anything above it. */
    boolean grantedOrInherited(Principal principal, Privilege privilege, Securable securable) {
        for (Securable s = securable; s != null; s = s.parent().orElse(null)) {
            if (hasGrant(principal, privilege, s)) {
                return true;
            }
        }
        return false;
    }
}
