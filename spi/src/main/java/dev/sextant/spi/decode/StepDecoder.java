package dev.sextant.spi.decode;

import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The shared loop of decoders that choose one token per row per step (greedy, sampling, typical
 * sampling, ...): it encodes prompts, runs processors, applies stopping rules, streams text and
 * drops finished rows from the batch. A subclass only says how to choose a token from scores.
 *
 * <p>Each row gets its own random stream, seeded from the request's seed, its prompt's tokens and how
 * many rows before it have the same prompt, so a row's text depends on the seed and its own prompt,
 * not on the other rows of the batch or its place in it (a prompt alone samples what it samples as
 * the first of its copies in a batch; further copies sample differently).
 */
public abstract class StepDecoder implements Decoder {

    /**
     * Chooses the next token.
     *
     * @param scores next-token scores after the processors ran, at least one above {@code -Infinity};
     *     may be modified
     * @param random the row's random stream
     */
    protected abstract int choose(float[] scores, SplittableRandom random);

    /**
     * Whether {@link #choose} always picks the highest score (greedy): then, with no processors and no
     * log-probabilities asked for, the loop asks the state for its argmax instead of copying the logits.
     */
    protected boolean choosesArgmax() {
        return false;
    }

    /** The seed used when the request gives none. */
    protected long defaultSeed() {
        return 0L;
    }

    @Override
    public final Generation generate(LanguageModel model, GenerationRequest request, TokenListener listener)
            throws SextantException {
        Tokenizer tokenizer = model.tokenizer();
        ModelInfo info = model.info();
        RunLimits limits = request.limits();
        int n = request.prompts().size();

        List<int[]> prompts = encodePrompts(tokenizer, info, request);
        List<LogitsProcessor> processors = prepareProcessors(request, tokenizer, info);
        long seed = request.seed() != null ? request.seed() : defaultSeed();
        java.util.Map<Integer, Integer> copies = new java.util.HashMap<>();
        Row[] rows = new Row[n];
        for (int r = 0; r < n; r++) {
            int promptHash = Arrays.hashCode(prompts.get(r));
            int copy = copies.merge(promptHash, 1, Integer::sum) - 1;
            rows[r] = new Row(prompts.get(r).length, new TextStreamer(tokenizer, request.stopStrings()),
                    rowRandom(seed, promptHash, copy), request.logProbs());
        }
        if (request.maxNewTokens() == 0) {
            return finish(rows, FinishReason.MAX_TOKENS);
        }

        boolean argmaxOnly = choosesArgmax() && processors.isEmpty() && !request.logProbs();
        try (DecodingState state = model.start(prompts, limits)) {
            int[] active = new int[n];
            for (int r = 0; r < n; r++) {
                active[r] = r;
            }
            while (true) {
                limits.check();
                int[] next = new int[active.length];
                int[] keep = new int[active.length];
                int kept = 0;
                for (int s = 0; s < active.length; s++) {
                    int r = active[s];
                    Row row = rows[r];
                    int token;
                    if (argmaxOnly) {
                        // Greedy with nothing to adjust or report: no copy of the logits, no pass over them here.
                        token = state.argmax(s);
                        if (token < 0) {
                            throw noChoice(info, n, r, row.generated, false);
                        }
                        row.add(token, Float.NaN);
                    } else {
                        float[] scores = state.logits(s);
                        // choose() and the processors may change scores: keep the model's own only if needed
                        float[] raw = processors.isEmpty() && !request.logProbs() ? null : scores.clone();
                        float logNorm = request.logProbs() ? logSumExp(raw) : Float.NaN;
                        if (!processors.isEmpty()) {
                            int[] history = state.tokens(s);
                            for (LogitsProcessor processor : processors) {
                                processor.process(r, history, row.promptLength, scores);
                            }
                        }
                        if (!hasChoice(scores)) {
                            throw noChoice(info, n, r, row.generated, raw != null && hasChoice(raw));
                        }
                        token = choose(scores, row.random);
                        row.add(token, raw == null ? Float.NaN : raw[token] - logNorm);
                    }
                    FinishReason reason = null;
                    String delta;
                    if (info.eosTokenIds().contains(token)) {
                        reason = FinishReason.EOS;
                        delta = row.streamer.finish();
                    } else {
                        delta = row.streamer.push(token);
                        if (row.streamer.stopped()) {
                            reason = FinishReason.STOP_STRING;
                        } else if (row.generated == request.maxNewTokens()) {
                            reason = FinishReason.MAX_TOKENS;
                        } else if (row.promptLength + row.generated >= info.maxPositions()) {
                            reason = FinishReason.CONTEXT_FULL;
                        }
                        if (reason != null) {
                            delta += row.streamer.finish();
                        }
                    }
                    listener.onToken(r, token, delta);
                    if (reason == null) {
                        next[kept] = token;
                        keep[kept++] = s;
                    } else {
                        row.finishReason = reason;
                    }
                }
                if (kept == 0) {
                    break;
                }
                if (kept < active.length) {
                    keep = Arrays.copyOf(keep, kept);
                    int[] stillActive = new int[kept];
                    for (int i = 0; i < kept; i++) {
                        stillActive[i] = active[keep[i]];
                    }
                    state.fork(keep);
                    active = stillActive;
                    next = Arrays.copyOf(next, kept);
                }
                state.append(next);
            }
        }
        return finish(rows, null);
    }

    /** The request's processors, each prepared for this generation's tokenizer and model. */
    public static List<LogitsProcessor> prepareProcessors(GenerationRequest request, Tokenizer tokenizer,
            ModelInfo info) {
        List<LogitsProcessor> prepared = new ArrayList<>();
        for (LogitsProcessor processor : request.processors()) {
            prepared.add(processor.prepare(tokenizer, info));
        }
        return prepared;
    }

    /**
     * Encodes each prompt of a request with its special tokens, refusing (naming the prompt) an empty
     * one and one that the limits or the model's context do not allow; shared by every decoder.
     */
    public static List<int[]> encodePrompts(Tokenizer tokenizer, ModelInfo info, GenerationRequest request)
            throws InputException {
        List<int[]> prompts = new ArrayList<>();
        for (int r = 0; r < request.prompts().size(); r++) {
            String what = request.prompts().size() == 1 ? "the prompt" : "prompt " + (r + 1);
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

    /** Whether some token has a score above {@code -Infinity} (NaN counts as none). */
    public static boolean hasChoice(float[] scores) {
        for (float v : scores) {
            if (v > Float.NEGATIVE_INFINITY) {
                return true;
            }
        }
        return false;
    }

    /**
     * The error when no token can be chosen for a row: the model's fault ({@code modelHadOne} false) or
     * the processors'.
     */
    public static SextantException noChoice(ModelInfo info, int rows, int row, int generated, boolean modelHadOne) {
        String what = rows == 1 ? "the prompt" : "prompt " + (row + 1);
        if (!modelHadOne) {
            return new ModelException("model '" + info.name() + "' gave no usable next-token score (all -Infinity"
                    + " or NaN) for " + what + " after " + generated + " generated tokens");
        }
        return new InputException("the logits processors banned every token for " + what + " after " + generated
                + " generated tokens, so there is nothing to choose: loosen them (fewer banned words, a larger"
                + " no-repeat-ngram size) or lower max-new-tokens");
    }

    private static Generation finish(Row[] rows, FinishReason fallback) {
        List<GeneratedSequence> sequences = new ArrayList<>(rows.length);
        for (Row row : rows) {
            FinishReason reason = row.finishReason != null ? row.finishReason : fallback;
            sequences.add(new GeneratedSequence(row.streamer.text(), Arrays.copyOf(row.ids, row.generated),
                    row.promptLength, row.wantLogProbs ? Arrays.copyOf(row.logProbs, row.generated) : new float[0],
                    reason));
        }
        return new Generation(sequences);
    }

    /** A row's random stream: the seed, the prompt and the copy number mixed into one seed. */
    public static SplittableRandom rowRandom(long seed, int promptHash, int copy) {
        long mixed = new SplittableRandom(seed ^ (promptHash * 0x9E3779B97F4A7C15L)).nextLong() + copy * 0xC2B2AE3D27D4EB4FL;
        return new SplittableRandom(mixed);
    }

    /** log(sum(exp(x))) computed stably. */
    public static float logSumExp(float[] x) {
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

    private static final class Row {
        final int promptLength;
        final TextStreamer streamer;
        final SplittableRandom random;
        final boolean wantLogProbs;
        int[] ids = new int[16];
        float[] logProbs = new float[16];
        int generated;
        FinishReason finishReason;

        Row(int promptLength, TextStreamer streamer, SplittableRandom random, boolean wantLogProbs) {
            this.promptLength = promptLength;
            this.wantLogProbs = wantLogProbs;
            this.streamer = streamer;
            this.random = random;
        }

        void add(int token, float logProb) {
            if (generated == ids.length) {
                ids = Arrays.copyOf(ids, generated * 2);
                logProbs = Arrays.copyOf(logProbs, generated * 2);
            }
            ids[generated] = token;
            logProbs[generated++] = logProb;
        }
    }
}
