package dev.sextant.plugins.tribuo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A deterministic train / held-out split: row indices shuffled with {@code java.util.Random(seed)},
 * the first {@code round(rows * share)} held out (at least one and at most all but one when the
 * share is above 0). Both lists keep file order.
 */
record Split(List<Integer> train, List<Integer> heldOut) {

    static Split of(int rows, double share, long seed) {
        List<Integer> order = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            order.add(i);
        }
        if (share <= 0 || rows < 2) {
            return new Split(order, List.of());
        }
        Collections.shuffle(order, new Random(seed));
        int held = (int) Math.max(1, Math.min(rows - 1, Math.round(rows * share)));
        List<Integer> heldOut = new ArrayList<>(order.subList(0, held));
        List<Integer> train = new ArrayList<>(order.subList(held, rows));
        Collections.sort(heldOut);
        Collections.sort(train);
        return new Split(List.copyOf(train), List.copyOf(heldOut));
    }

    /** The items at some indices. */
    static <T> List<T> pick(List<T> items, List<Integer> indices) {
        List<T> out = new ArrayList<>(indices.size());
        for (int i : indices) {
            out.add(items.get(i));
        }
        return out;
    }

    /** The vectors at some indices. */
    static float[][] pick(float[][] vectors, List<Integer> indices) {
        float[][] out = new float[indices.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vectors[indices.get(i)];
        }
        return out;
    }
}
