package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grouping the encoder and the token classifier share. */
class PaddedBatchesTest {

    private static final long NO_FLOAT_LIMIT = Long.MAX_VALUE;

    @Test
    void textsRunLongestFirstAndEqualLengthsKeepTheirOrder() {
        List<int[]> calls = PaddedBatches.plan(new int[] {10, 12, 10, 12}, 8, 4096, 1, NO_FLOAT_LIMIT);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).containsExactly(1, 3, 0, 2);
    }

    @Test
    void aCallClosesBeforeItsPaddingPassesAFifthOfItsRealTokens() {
        // 3 x 10 = 30 positions for 10 + 9 + 9 = 28 real tokens: within 1.2; adding a 2 would make 40 for 30
        List<int[]> calls = PaddedBatches.plan(new int[] {9, 10, 2, 9, 2}, 8, 4096, 1, NO_FLOAT_LIMIT);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).containsExactly(1, 0, 3);
        assertThat(calls.get(1)).containsExactly(2, 4);
    }

    @Test
    void callsStayWithinTheRowsPositionsAndFloatsGiven() {
        int[] lengths = new int[20];
        java.util.Arrays.fill(lengths, 10);
        assertThat(PaddedBatches.plan(lengths, 8, 4096, 1, NO_FLOAT_LIMIT)).extracting(c -> c.length)
                .containsExactly(8, 8, 4);
        assertThat(PaddedBatches.plan(lengths, 32, 50, 1, NO_FLOAT_LIMIT)).extracting(c -> c.length)
                .containsExactly(5, 5, 5, 5);
        // 3 floats per position, 90 per call: 3 texts of 10 positions
        assertThat(PaddedBatches.plan(lengths, 32, 4096, 3, 90)).hasSize(7).allMatch(c -> c.length <= 3);
    }

    @Test
    void aTextOverTheBudgetsRunsAloneAndEmptyTextsNotAtAll() {
        List<int[]> calls = PaddedBatches.plan(new int[] {0, 100, 5, 0, 5}, 8, 20, 4, 200);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).containsExactly(1);
        assertThat(calls.get(1)).containsExactly(2, 4);
        assertThat(PaddedBatches.plan(new int[0], 8, 20, 4, 200)).isEmpty();
        assertThat(PaddedBatches.plan(new int[] {0, 0}, 8, 20, 4, 200)).isEmpty();
    }
}
