package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Pairs each measured figure with its baseline figure from the same run. */
final class Comparisons {

    private Comparisons() {
    }

    /**
     * One comparison per figure that is not itself a baseline, in the order the figures came.
     *
     * @param figures every figure of the run
     * @param pairings how each benchmark class names its baseline
     * @return the comparisons; a figure whose class has no pairing, or whose baseline is missing, has a null baseline
     */
    static List<Comparison> pair(List<Figure> figures, List<Pairing> pairings) {
        Map<String, Pairing> byBenchmark = pairings.stream().collect(Collectors.toMap(Pairing::benchmark, Function.identity()));
        List<Comparison> out = new ArrayList<>();
        for (Figure figure : figures) {
            Pairing pairing = byBenchmark.get(figure.benchmark());
            if (pairing == null) {
                out.add(new Comparison(figure.benchmark(), figure.params(), figure.method(), figure, null, null));
            } else if (pairing.byParam()) {
                String value = figure.params().get(pairing.param());
                if (!pairing.baselineValues().contains(value)) {
                    for (String baselineValue : pairing.baselineValues()) {
                        Figure baseline = figures.stream()
                                .filter(f -> f.benchmark().equals(figure.benchmark()) && f.method().equals(figure.method())
                                        && baselineValue.equals(f.params().get(pairing.param()))
                                        && f.paramsWithout(pairing.param()).equals(figure.paramsWithout(pairing.param())))
                                .findFirst().orElse(null);
                        out.add(new Comparison(figure.benchmark(), figure.paramsWithout(pairing.param()), pairing.param() + "=" + value, figure,
                                pairing.param() + "=" + baselineValue, baseline));
                    }
                }
            } else if (pairing.baselineMethods().containsKey(figure.method())) {
                for (String baselineMethod : pairing.baselineMethods().get(figure.method())) {
                    Figure baseline = figures.stream()
                            .filter(f -> f.benchmark().equals(figure.benchmark()) && f.method().equals(baselineMethod)
                                    && f.params().equals(figure.params()))
                            .findFirst().orElse(null);
                    out.add(new Comparison(figure.benchmark(), figure.params(), figure.method(), figure, baselineMethod, baseline));
                }
            }
        }
        return out;
    }
}
