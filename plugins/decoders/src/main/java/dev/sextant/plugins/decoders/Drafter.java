package dev.sextant.plugins.decoders;

import dev.sextant.spi.SextantException;
import java.util.SplittableRandom;

/**
 * Proposes the tokens that probably follow a row, for {@link DraftVerifyDecoder} to verify with the
 * target model in one call. One per prompt; used from one thread; closed when the prompt is done.
 */
interface Drafter extends AutoCloseable {

    /**
     * A proposal.
     *
     * @param tokens the proposed ids, possibly none
     * @param probabilities for sampling verification, the distribution each token was drawn from
     *     (over the drafter's vocabulary); {@code null} when the proposal is deterministic
     */
    record Draft(int[] tokens, double[][] probabilities) {
        static final Draft NONE = new Draft(new int[0], null);
    }

    /**
     * Proposes up to {@code max} tokens to follow {@code tokens}.
     *
     * @param tokens the row so far: prompt, generated tokens and the token just chosen
     * @param random the row's random stream (for drafters that sample)
     */
    Draft propose(int[] tokens, int promptLength, int max, SplittableRandom random) throws SextantException;

    /** Model calls the drafter made so far (0 for drafters without a model). */
    default int modelCalls() {
        return 0;
    }

    @Override
    default void close() {
    }
}
