package dev.sextant.plugins.decoders;

import dev.sextant.spi.testing.ByteTokenizer;
import dev.sextant.spi.testing.ScriptedModel;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import java.util.List;

/** Short ways to run a decoder in tests. */
final class Generate {

    private Generate() {
    }

    /** The text generated for one prompt. */
    static String text(Decoder decoder, LanguageModel model, String prompt, int maxNewTokens, Long seed,
            LogitsProcessor... processors) throws SextantException {
        GenerationRequest request = new GenerationRequest(List.of(prompt), maxNewTokens, List.of(),
                List.of(processors), seed, RunLimits.DEFAULT);
        return decoder.generate(model, request, TokenListener.NONE).sequences().get(0).text();
    }

    /** Scores of {@link ByteTokenizer#VOCAB} entries: -Infinity except the given (token, score) pairs. */
    static float[] only(Object... tokenScorePairs) {
        float[] scores = new float[ByteTokenizer.VOCAB];
        java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < tokenScorePairs.length; i += 2) {
            Object token = tokenScorePairs[i];
            int id = token instanceof Character c ? c : (Integer) token;
            scores[id] = ((Number) tokenScorePairs[i + 1]).floatValue();
        }
        return scores;
    }

    /**
     * A model over the lower-case letters and space whose logits are a pseudo-random function of the
     * row's history (the same history always gives the same logits), so different decoders can be
     * compared on it.
     */
    static ScriptedModel hashed() {
        return new ScriptedModel(1024, (tokens, promptLength) -> {
            long h = 1125899906842597L;
            for (int t : tokens) {
                h = 31 * h + t;
            }
            java.util.SplittableRandom random = new java.util.SplittableRandom(h);
            float[] scores = new float[ByteTokenizer.VOCAB];
            java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            for (char c = 'a'; c <= 'z'; c++) {
                scores[c] = (float) (3 * random.nextDouble());
            }
            scores[' '] = (float) (3 * random.nextDouble());
            return scores;
        });
    }
}
