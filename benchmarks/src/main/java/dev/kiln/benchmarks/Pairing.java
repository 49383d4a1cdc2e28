package dev.kiln.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * Which figures of a benchmark class are baselines of which: either values of a {@code @Param}
 * (every other value is compared with each of them at equal other params), or baseline methods per
 * measured method (each compared with it).
 *
 * @param benchmark the benchmark class's simple name
 * @param param the {@code @Param} that picks the implementation, or null when methods do
 * @param baselineValues the values of {@code param} that are baselines, empty when methods pick
 * @param baselineMethods measured method to its baseline methods, empty when a param picks
 */
record Pairing(String benchmark, String param, List<String> baselineValues, Map<String, List<String>> baselineMethods) {

    Pairing {
        baselineValues = List.copyOf(baselineValues);
        baselineMethods = baselineMethods.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> List.copyOf(e.getValue())));
    }

    static Pairing byParam(String benchmark, String param, String... baselineValues) {
        return new Pairing(benchmark, param, List.of(baselineValues), Map.of());
    }

    static Pairing byMethod(String benchmark, Map<String, List<String>> measuredToBaselines) {
        return new Pairing(benchmark, null, List.of(), measuredToBaselines);
    }

    boolean byParam() {
        return param != null;
    }
}
