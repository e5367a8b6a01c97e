package dev.sextant.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups texts into right-padded calls of a BERT-style graph (the encoder's and the token
 * classifier's): longest first, so that texts of similar length share a call, and each call closed
 * before its padding grows past {@link #PADDING_SLACK} of its real tokens: an encoder computes
 * every padded position as fully as a real one, so on a CPU padding is pure loss.
 */
final class PaddedBatches {

    /**
     * How much a call may compute, as a multiple of its real tokens (1.2: a fifth more). With
     * tickets of 15 to 100 tokens, batches cut only by count computed twice the real tokens and ran
     * 30% slower than one text at a time (bench/README.md).
     */
    static final double PADDING_SLACK = 1.2;

    private PaddedBatches() {
    }

    /**
     * The calls that run the texts, in the order to run them.
     *
     * @param lengths each text's token count; texts of no tokens are left out (there is nothing to run)
     * @param maxRows texts per call
     * @param maxPositions padded positions per call (texts x longest text); a longer text runs alone
     * @param floatsPerPosition floats the output holds per position (hidden size, label count)
     * @param maxFloats output floats per call; a text whose output alone is larger runs alone
     * @return each call's text indices, longest first (a stable sort: texts of equal length keep
     *     their order), so that a call's first text gives its width
     */
    static List<int[]> plan(int[] lengths, int maxRows, int maxPositions, long floatsPerPosition, long maxFloats) {
        Integer[] order = new Integer[lengths.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
        int n = 0;
        while (n < order.length && lengths[order[n]] > 0) {
            n++;
        }
        List<int[]> calls = new ArrayList<>();
        for (int from = 0; from < n; ) {
            int width = lengths[order[from]];
            // an encoder cannot split positions: one row runs alone even if over the budgets
            long fit = Math.max(1, maxFloats / ((long) width * floatsPerPosition));
            int limit = (int) Math.min(Math.min(maxRows, n - from), fit);
            int rows = 1;
            long real = width;
            while (rows < limit) {
                int next = lengths[order[from + rows]];
                // padded positions cost as much as real ones: close the call before its padding exceeds
                // PADDING_SLACK of the real tokens, or the call exceeds the position budget
                if ((long) width * (rows + 1) > PADDING_SLACK * (real + next)
                        || (long) width * (rows + 1) > maxPositions) {
                    break;
                }
                real += next;
                rows++;
            }
            int[] call = new int[rows];
            for (int r = 0; r < rows; r++) {
                call[r] = order[from + r];
            }
            calls.add(call);
            from += rows;
        }
        return calls;
    }
}
