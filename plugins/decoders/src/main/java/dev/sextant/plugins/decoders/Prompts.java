package dev.sextant.plugins.decoders;

import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.StepDecoder;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the decoders that do not extend {@link dev.sextant.spi.decode.StepDecoder} share with it:
 * prompt checks, prepared processors, the no-choice errors and the log-normaliser. Kept equal to
 * {@code StepDecoder}'s so that their texts and log-probabilities agree with greedy's exactly.
 */
final class Prompts {

    private Prompts() {
    }

    /** Encodes each prompt, refusing empty ones and ones the limits or the model's context do not allow. */
    static List<int[]> encode(Tokenizer tokenizer, ModelInfo info, GenerationRequest request) throws InputException {
        return StepDecoder.encodePrompts(tokenizer, info, request);
    }

    /** The request's processors, prepared for this model. */
    static List<LogitsProcessor> prepare(GenerationRequest request, LanguageModel model) {
        return StepDecoder.prepareProcessors(request, model.tokenizer(), model.info());
    }

    /** Runs the processors over a copy of {@code logits}. */
    static float[] process(List<LogitsProcessor> processors, int row, int[] tokens, int promptLength, float[] logits) {
        float[] scores = logits.clone();
        for (LogitsProcessor processor : processors) {
            processor.process(row, tokens, promptLength, scores);
        }
        return scores;
    }

    static String what(int prompts, int row) {
        return prompts == 1 ? "the prompt" : "prompt " + (row + 1);
    }

    /** Whether some score is above {@code -Infinity} (NaN counts as none). */
    static boolean hasChoice(float[] scores) {
        return StepDecoder.hasChoice(scores);
    }

    /** The error when no token can be chosen: the model's fault or the processors'. */
    static SextantException noChoice(ModelInfo info, int prompts, int row, int generated, boolean modelHadOne) {
        return StepDecoder.noChoice(info, prompts, row, generated, modelHadOne);
    }

    /** log(sum(exp(x))), as the shared loop computes it. */
    static float logSumExp(float[] x) {
        return StepDecoder.logSumExp(x);
    }

    /** log(sum(exp(x))) in double. */
    static double logSumExpDouble(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            if (v > max) {
                max = v;
            }
        }
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp((double) v - max);
        }
        return max + Math.log(sum);
    }

    /** The text of generated ids: special tokens skipped, cut before the first stop string. */
    static String text(Tokenizer tokenizer, int[] ids, List<String> stopStrings) {
        String decoded = tokenizer.decode(ids, true);
        int cut = firstStop(decoded, stopStrings);
        return cut >= 0 ? decoded.substring(0, cut) : decoded;
    }

    /** Where the first stop string starts in {@code text}, or -1. */
    static int firstStop(String text, List<String> stopStrings) {
        int best = -1;
        for (String stop : stopStrings) {
            int at = text.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    static int[] append(int[] ids, int token) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = token;
        return out;
    }
}
