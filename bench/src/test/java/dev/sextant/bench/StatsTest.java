package dev.sextant.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnEvenSampleIsTheMeanOfTheMiddleTwo() {
        assertThat(new Stats(new double[] {4, 1, 3, 2}).median()).isEqualTo(2.5);
    }

    @Test
    void percentilesInterpolateBetweenRanksLikeNumpy() {
        Stats stats = new Stats(new double[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110});
        assertThat(stats.percentile(10)).isCloseTo(20, within(1e-9));
        assertThat(stats.percentile(90)).isCloseTo(100, within(1e-9));
        assertThat(new Stats(new double[] {1, 2}).percentile(10)).isCloseTo(1.1, within(1e-9));
        assertThat(stats.percentile(0)).isEqualTo(10);
        assertThat(stats.percentile(100)).isEqualTo(110);
    }

    @Test
    void doesNotReorderTheCallersArray() {
        double[] values = {3, 1, 2};
        new Stats(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void refusesAnEmptySample() {
        assertThatThrownBy(() -> new Stats(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
