package dev.kiln.spi;

import dev.kiln.KilnException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Finds a plug-in: the provider named by a system property if one is set, else the one with the
 * highest priority among those {@link ServiceLoader} finds.
 */
public final class ProviderLookup {

    private ProviderLookup() {
    }

    /**
     * Finds a provider of the given type.
     *
     * @param <T> the provider type
     * @param type the provider interface
     * @param property the system property that may name a provider, or null
     * @param name how to get a provider's name
     * @param priority how to get a provider's priority (higher wins)
     * @param module the Maven coordinates to suggest when none is found
     * @return the chosen provider
     * @throws KilnException if none is found, or the named one is not on the class path
     */
    public static <T> T find(Class<T> type, String property, Function<T, String> name,
            ToIntFunction<T> priority, String module) {
        List<T> found = new ArrayList<>();
        ServiceLoader.load(type, classLoader(type)).forEach(found::add);
        String wanted = property == null ? null : System.getProperty(property);
        if (wanted != null && !wanted.isBlank()) {
            return found.stream().filter(p -> wanted.equals(name.apply(p))).findFirst()
                    .orElseThrow(() -> new KilnException("System property " + property + "=" + wanted
                            + " names no " + type.getSimpleName() + " on the class path (found: "
                            + found.stream().map(name).toList() + "). Add its module or fix the property."));
        }
        return found.stream().max(Comparator.comparingInt(priority))
                .orElseThrow(() -> new KilnException("No " + type.getSimpleName()
                        + " found on the class path: add the dependency " + module + "."));
    }

    private static ClassLoader classLoader(Class<?> type) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : type.getClassLoader();
    }
}
