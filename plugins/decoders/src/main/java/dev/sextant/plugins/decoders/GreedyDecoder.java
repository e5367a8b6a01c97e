package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.StepDecoder;
import java.util.SplittableRandom;

/** Chooses the highest-scoring token at every step (ties go to the lowest id). Stateless. */
public final class GreedyDecoder extends StepDecoder {

    @Override
    protected int choose(float[] scores, SplittableRandom random) {
        int token = Scores.argmax(scores);
        if (token < 0) {
            throw new IllegalArgumentException("every token's score is -Infinity: there is nothing to choose");
        }
        return token;
    }

    @Override
    protected boolean choosesArgmax() {
        return true;
    }

    @Override
    public String toString() {
        return "greedy";
    }
}
