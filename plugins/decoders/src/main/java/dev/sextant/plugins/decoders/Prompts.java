package dev.sextant.plugins.decoders;

import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.Encoding;
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
        List<int[]> prompts = new ArrayList<>();
        for (int r = 0; r < request.prompts().size(); r++) {
            String what = what(request.prompts().size(), r);
            Encoding encoding = tokenizer.encode(request.prompts().get(r), true);
            if (encoding.size() == 0) {
                throw new InputException(what + " is empty: give some text to continue");
            }
            request.limits().checkInputLength(what, encoding.size());
            if (encoding.size() >= info.maxPositions()) {
                throw new InputException(what + " has " + encoding.size() + " tokens, but model '" + info.name()
                        + "' reads at most " + info.maxPositions() + " including the generated ones");
            }
            prompts.add(encoding.ids());
        }
        return prompts;
    }

    /** The request's processors, prepared for this tokenizer. */
    static List<LogitsProcessor> prepare(GenerationRequest request, Tokenizer tokenizer) {
        List<LogitsProcessor> prepared = new ArrayList<>();
        for (LogitsProcessor processor : request.processors()) {
            prepared.add(processor.prepare(tokenizer));
        }
        return prepared;
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
        for (float v : scores) {
            if (v > Float.NEGATIVE_INFINITY) {
                return true;
            }
        }
        return false;
    }

    /** The error when no token can be chosen: the model's fault or the processors'. */
    static SextantException noChoice(ModelInfo info, int prompts, int row, int generated, boolean modelHadOne) {
        String what = what(prompts, row);
        if (!modelHadOne) {
            return new ModelException("model '" + info.name() + "' gave no usable next-token score (all -Infinity"
                    + " or NaN) for " + what + " after " + generated + " generated tokens");
        }
        return new InputException("the logits processors banned every token for " + what + " after " + generated
                + " generated tokens, so there is nothing to choose: loosen them (fewer banned words, a larger"
                + " no-repeat-ngram size) or lower max-new-tokens");
    }

    /** log(sum(exp(x))) in float, computed as {@code StepDecoder.logSumExp} does. */
    static float logSumExp(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            if (v > max) {
                max = v;
            }
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp(v - max);
        }
        return (float) (max + Math.log(sum));
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
