package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.StepDecoder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Draws each token from the model's distribution after a list of warpers reshaped it (temperature,
 * top-k, top-p, min-p, in that order when built by {@link SamplingDecoderFactory}). Randomness comes
 * from the row's stream, so the same seed gives the same text. Stateless and thread-safe.
 */
public final class SamplingDecoder extends StepDecoder {

    private final List<LogitsWarper> warpers;
    private final long seed;

    SamplingDecoder(List<LogitsWarper> warpers, long seed) {
        this.warpers = List.copyOf(warpers);
        this.seed = seed;
    }

    @Override
    protected int choose(float[] scores, SplittableRandom random) {
        for (LogitsWarper warper : warpers) {
            warper.warp(scores);
        }
        return Scores.draw(scores, random);
    }

    @Override
    protected long defaultSeed() {
        return seed;
    }

    @Override
    public String toString() {
        return "sample(" + warpers.stream().map(Object::toString).collect(Collectors.joining(", "))
                + (warpers.isEmpty() ? "" : ", ") + "seed=" + seed + ")";
    }
}
