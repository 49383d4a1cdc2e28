package dev.kiln.governance;

import dev.kiln.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/**
 * Grants and owners as of one version of {@code system.grants}, replayed from its event rows. A feature
 * table is its lakehouse table with keys declared: both names are kept as one object here, so a grant or
 * an owner recorded on either applies to both.
 */
final class GrantState {
    private final Map<Securable, Map<String, Grant>> grants = new HashMap<>();
    private final Map<Securable, Principal> owners = new HashMap<>();

    /** The key an object's grants and owner are kept under: a feature table shares its lakehouse table's. */
    private static Securable key(Securable securable) {
        return securable.type() == SecurableType.FEATURE_TABLE ? Securable.table(securable.name()) : securable;
    }

    void apply(String action, Securable named, Principal principal, Privilege privilege, Principal grantor, java.time.Instant time) {
        Securable securable = key(named);
        switch (action) {
            case "GRANT" -> grants.computeIfAbsent(securable, s -> new LinkedHashMap<>())
                    .put(principal.name() + "/" + privilege, new Grant(named, principal, privilege, grantor, time));
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

    /** The grants on an object, each named as asked (a feature table's grants may have been made on its table). */
    List<Grant> grantsOn(Securable securable) {
        List<Grant> out = new ArrayList<>();
        for (Grant g : grants.getOrDefault(key(securable), Map.of()).values()) {
            out.add(g.securable().equals(securable) ? g : new Grant(securable, g.principal(), g.privilege(), g.grantor(), g.time()));
        }
        return out;
    }

    Principal explicitOwner(Securable securable) {
        return owners.get(key(securable));
    }

    boolean hasGrant(Principal principal, Privilege privilege, Securable securable) {
        Map<String, Grant> onObject = grants.get(key(securable));
        return onObject != null && onObject.containsKey(principal.name() + "/" + privilege);
    }

    /** True if the principal owns the object or anything above it. */
    boolean ownsOrInherits(Principal principal, Securable securable) {
        Set<Securable> seen = new HashSet<>();
        for (Securable s = securable; s != null && seen.add(s); s = s.parent().orElse(null)) {
            if (principal.equals(owners.get(key(s)))) {
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
