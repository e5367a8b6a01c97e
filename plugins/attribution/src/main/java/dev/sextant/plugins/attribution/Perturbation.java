package dev.sextant.plugins.attribution;

import java.util.SplittableRandom;

/**
 * One perturbed copy of a prefix: {@code tokens} starts as the original prefix; a {@link Replacer}
 * writes a replacement at every position where {@code replaced} is true, drawing from
 * {@code random} (the probe's own stream, so results do not depend on batching).
 */
record Perturbation(int[] tokens, boolean[] replaced, SplittableRandom random) {
}
