package dev.sextant.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.model.ModelInfo;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConstraintsBenchPickTest {

    private static final int SIZE = 300;
    private static final ModelInfo INFO = new ModelInfo("test", "test", SIZE, 64, Set.of(299), 0, 0, Map.of());

    @Test
    void picksEveryAllowedTokenAboutEquallyAndNeverAForbiddenOne() {
        long[] bits = new long[(SIZE + 63) / 64];
        int[] allowed = {0, 5, 63, 64, 130, 191, 192, 250, 299};
        for (int id : allowed) {
            bits[id >>> 6] |= 1L << id;
        }
        SplittableRandom random = new SplittableRandom(3);
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 8000; i++) {
            counts.merge(ConstraintsBench.pick(bits, SIZE, INFO, false, random), 1, Integer::sum);
        }
        // the end (299) only when the text is complete; the 8 others about 1000 times each
        assertThat(counts).containsOnlyKeys(0, 5, 63, 64, 130, 191, 192, 250);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(850, 1150));
    }

    @Test
    void takesTheEndAQuarterOfTheTimeOnceComplete() {
        long[] bits = new long[(SIZE + 63) / 64];
        bits[0] = 0b110;
        bits[299 >>> 6] |= 1L << 299;
        SplittableRandom random = new SplittableRandom(4);
        int ends = 0;
        for (int i = 0; i < 4000; i++) {
            ends += ConstraintsBench.pick(bits, SIZE, INFO, true, random) == 299 ? 1 : 0;
        }
        assertThat(ends).isBetween(880, 1120);
    }

    @Test
    void givesTheEndWhenNothingElseIsAllowedAndMinusOneWhenNothingIs() {
        long[] bits = new long[(SIZE + 63) / 64];
        assertThat(ConstraintsBench.pick(bits, SIZE, INFO, false, new SplittableRandom(1))).isEqualTo(-1);
        bits[299 >>> 6] |= 1L << 299;
        assertThat(ConstraintsBench.pick(bits, SIZE, INFO, false, new SplittableRandom(1))).isEqualTo(299);
    }
}
