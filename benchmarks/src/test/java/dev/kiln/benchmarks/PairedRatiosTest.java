package dev.kiln.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedRatiosTest {

    @Test
    void timesAreComparedArmOverBaselineAndTheMedianIgnoresOneDisturbedPair() {
        PairedRatios ratios = new PairedRatios(false);
        assertThat(ratios.add(6.0, 5.0)).isCloseTo(1.2, within(1e-12));
        ratios.add(5.5, 5.0);
        ratios.add(20.0, 5.0); // one pair hit by something else on the machine
        assertThat(ratios.median()).isCloseTo(1.2, within(1e-12));
        assertThat(ratios.min()).isCloseTo(1.1, within(1e-12));
        assertThat(ratios.max()).isCloseTo(4.0, within(1e-12));
        assertThat(ratios.size()).isEqualTo(3);
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwo() {
        PairedRatios ratios = new PairedRatios(false);
        ratios.add(1.0, 1.0);
        ratios.add(1.2, 1.0);
        ratios.add(1.4, 1.0);
        ratios.add(3.0, 1.0);
        assertThat(ratios.median()).isCloseTo(1.3, within(1e-12));
    }

    @Test
    void ratesAreComparedBaselineOverArmSoAboveOneStillMeansSlower() {
        PairedRatios ratios = new PairedRatios(true);
        assertThat(ratios.add(500.0, 1000.0)).isCloseTo(2.0, within(1e-12));
        assertThat(ratios.higherIsBetter()).isTrue();
    }

    @Test
    void noPairsHaveNoMedianAndBadScoresAreRefused() {
        PairedRatios ratios = new PairedRatios(false);
        assertThat(ratios.median()).isNaN();
        assertThatThrownBy(() -> ratios.add(0.0, 1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> ratios.add(1.0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ratios.size()).isZero();
    }
}
