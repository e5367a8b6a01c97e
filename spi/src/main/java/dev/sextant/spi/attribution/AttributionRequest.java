package dev.sextant.spi.attribution;

import dev.sextant.spi.RunLimits;
import java.util.Objects;

/**
 * What to explain: a prompt and a continuation of it (the model's own generation, or any text to
 * score), and which of the continuation's tokens to attribute.
 *
 * <p>Each attributed target token is explained by every token before it: the prompt's tokens and
 * the target tokens that precede it (as inseq does for decoder-only models). One token, a span or
 * the whole continuation are all expressed by {@link #targetFrom()} and {@link #targetTo()}.
 *
 * @param input the prompt text; encoded with the model's special tokens
 * @param target the continuation text
 * @param targetIds the continuation's token ids when they are known (e.g. from a generation, where
 *     re-encoding the text could give other ids), or {@code null} to encode {@code target}
 * @param targetFrom index of the first target token to attribute (0-based, inclusive)
 * @param targetTo index after the last target token to attribute, or -1 for the end
 * @param seed seeds random choices of the method (e.g. which tokens to replace)
 * @param limits input length, deadline and cancellation
 */
public record AttributionRequest(
        String input, String target, int[] targetIds, int targetFrom, int targetTo, long seed, RunLimits limits) {

    public AttributionRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
        targetIds = targetIds == null ? null : targetIds.clone();
        limits = Objects.requireNonNullElse(limits, RunLimits.DEFAULT);
        if (targetFrom < 0) {
            throw new IllegalArgumentException("targetFrom must be >= 0, was " + targetFrom);
        }
        if (targetTo != -1 && targetTo <= targetFrom) {
            throw new IllegalArgumentException("targetTo must be -1 or greater than targetFrom (" + targetFrom
                    + "), was " + targetTo);
        }
    }

    /** Attributes every token of {@code target}. */
    public static AttributionRequest of(String input, String target, long seed, RunLimits limits) {
        return new AttributionRequest(input, target, null, 0, -1, seed, limits);
    }

    /** The same request for target tokens {@code from} (inclusive) to {@code to} (exclusive, -1 for the end). */
    public AttributionRequest span(int from, int to) {
        return new AttributionRequest(input, target, targetIds, from, to, seed, limits);
    }

    /** The same request with known target ids. */
    public AttributionRequest withTargetIds(int[] ids) {
        return new AttributionRequest(input, target, ids, targetFrom, targetTo, seed, limits);
    }

    /** The same request with another seed. */
    public AttributionRequest withSeed(long newSeed) {
        return new AttributionRequest(input, target, targetIds, targetFrom, targetTo, newSeed, limits);
    }

    @Override
    public int[] targetIds() {
        return targetIds == null ? null : targetIds.clone();
    }
}
