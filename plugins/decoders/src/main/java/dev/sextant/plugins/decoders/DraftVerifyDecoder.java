package dev.sextant.plugins.decoders;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.FinishReason;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TextStreamer;
import dev.sextant.spi.decode.StepDecoder;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draft-then-verify decoding (speculative decoding): at each step the target model's next token is
 * chosen from the logits it already has, a {@link Drafter} proposes the tokens that may follow, and
 * the target runs the chosen token and the proposal in one {@link DecodingState#appendAll} call.
 * Proposed tokens are accepted while they pass verification; the rejected rest is removed with
 * {@link DecodingState#rewind}, and the logits after the last accepted token choose the next token.
 *
 * <p>Greedy verification accepts a proposed token when it is the argmax of the target's processed
 * scores at its position, so the text is exactly greedy's (up to the model computing several
 * positions in one call instead of one by one). Sampling verification uses the rejection rule of
 * Leviathan et al. and Chen et al. (2023): a token {@code x} drawn from the drafter's {@code q} is
 * accepted with probability {@code min(1, p(x)/q(x))}; on rejection the next token is drawn from
 * {@code max(0, p - q)} renormalised, so every token is distributed as the target's own sampling
 * distribution {@code p} (processors and warpers applied). A deterministic drafter is a one-hot
 * {@code q}.
 *
 * <p>Processors are applied at every verified position with the tokens before it, so they must be
 * functions of the row's tokens (all built-in ones are). Prompts of one request run one after
 * another, each in its own decoding state, because rows accept different numbers of tokens. Tokens
 * reach the listener as soon as they are accepted; they are final.
 */
abstract class DraftVerifyDecoder implements Decoder {

    /** The longest proposal adaptive drafting grows to. */
    static final int MAX_DRAFT = 64;

    private final int numDraftTokens;
    private final boolean adaptive;
    private final List<LogitsWarper> warpers;
    private final boolean sample;
    private final long seed;

    /**
     * @param warpers reshape the target's scores before sampling; ignored unless {@code sample}
     */
    DraftVerifyDecoder(int numDraftTokens, boolean adaptive, boolean sample, List<LogitsWarper> warpers, long seed) {
        this.numDraftTokens = numDraftTokens;
        this.adaptive = adaptive;
        this.sample = sample;
        this.warpers = List.copyOf(warpers);
        this.seed = seed;
    }

    /** A drafter for one prompt of a request to {@code target}. */
    abstract Drafter drafter(LanguageModel target, GenerationRequest request, List<LogitsProcessor> processors, int row)
            throws SextantException;

    /** Checks before generation, e.g. that a draft model fits the target. */
    void check(LanguageModel target) throws SextantException {
    }

    boolean sample() {
        return sample;
    }

    /** Turns processed scores into the distribution tokens are sampled from: warpers, then softmax. */
    double[] distribution(float[] processed) {
        float[] scores = processed.clone();
        for (LogitsWarper warper : warpers) {
            warper.warp(scores);
        }
        return softmax(scores);
    }

    @Override
    public final Generation generate(LanguageModel model, GenerationRequest request, TokenListener listener)
            throws SextantException {
        check(model);
        Tokenizer tokenizer = model.tokenizer();
        ModelInfo info = model.info();
        List<int[]> prompts = Prompts.encode(tokenizer, info, request);
        List<LogitsProcessor> processors = Prompts.prepare(request, model);
        long rootSeed = request.seed() != null ? request.seed() : seed;
        Map<Integer, Integer> copies = new java.util.HashMap<>();
        Stats stats = new Stats();
        List<GeneratedSequence> sequences = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            int promptHash = Arrays.hashCode(prompts.get(p));
            int copy = copies.merge(promptHash, 1, Integer::sum) - 1;
            Row row = new Row(p, prompts.size(), prompts.get(p).length, new TextStreamer(tokenizer,
                    request.stopStrings()), StepDecoder.rowRandom(rootSeed, promptHash, copy));
            if (request.maxNewTokens() > 0) {
                try (Drafter drafter = drafter(model, request, processors, p)) {
                    decode(model, request, processors, prompts.get(p), row, drafter, listener, stats);
                    stats.draftCalls += drafter.modelCalls();
                    stats.generated += row.generated;
                }
            } else {
                row.finishReason = FinishReason.MAX_TOKENS;
            }
            sequences.add(new GeneratedSequence(row.streamer.text(), Arrays.copyOf(row.ids, row.generated),
                    row.promptLength, request.logProbs() ? Arrays.copyOf(row.logProbs, row.generated) : new float[0],
                    row.finishReason));
        }
        return new Generation(sequences, null, stats.metrics());
    }

    private void decode(LanguageModel model, GenerationRequest request, List<LogitsProcessor> processors, int[] prompt,
            Row row, Drafter drafter, TokenListener listener, Stats stats) throws SextantException {
        ModelInfo info = model.info();
        RunLimits limits = request.limits();
        int draftLength = numDraftTokens;
        try (DecodingState state = model.start(List.of(prompt), limits)) {
            stats.calls++;
            float[] logits = state.logits(0);
            int[] tokens = prompt;
            int forced = -1; // a token already drawn by a rejection step
            while (true) {
                limits.check();
                int token;
                if (forced >= 0) {
                    token = forced;
                    forced = -1;
                } else {
                    float[] scores = Prompts.process(processors, row.index, tokens, row.promptLength, logits);
                    if (!Prompts.hasChoice(scores)) {
                        throw Prompts.noChoice(info, row.prompts, row.index, row.generated, Prompts.hasChoice(logits));
                    }
                    token = sample ? Scores.drawFrom(distribution(scores), row.random) : Scores.argmax(scores);
                }
                tokens = Prompts.append(tokens, token);
                if (row.accept(token, logits, request, info, listener)) {
                    return;
                }
                int room = Math.min(request.maxNewTokens() - row.generated, info.maxPositions() - tokens.length);
                Drafter.Draft draft = room > 0
                        ? drafter.propose(tokens, row.promptLength, Math.min(draftLength, room), row.random)
                        : Drafter.Draft.NONE;
                int k = draft.tokens().length;
                if (k == 0) {
                    state.append(new int[] {token});
                    stats.calls++;
                    logits = state.logits(0);
                    continue;
                }
                int[] run = new int[k + 1];
                run[0] = token;
                System.arraycopy(draft.tokens(), 0, run, 1, k);
                float[][] after = state.appendAll(new int[][] {run})[0];
                stats.calls++;
                int accepted = 0;
                boolean finished = false;
                boolean rejected = false;
                while (accepted < k) {
                    int proposed = draft.tokens()[accepted];
                    float[] scores = Prompts.process(processors, row.index, tokens, row.promptLength, after[accepted]);
                    boolean ok;
                    if (!sample) {
                        ok = Scores.argmax(scores) == proposed;
                    } else {
                        double[] p = distribution(scores);
                        double[] q = draft.probabilities() == null ? null : draft.probabilities()[accepted];
                        double qx = q == null ? 1 : (proposed < q.length ? q[proposed] : 0);
                        double px = proposed < p.length ? p[proposed] : 0;
                        ok = qx > 0 && row.random.nextDouble() < Math.min(1, px / qx);
                        if (!ok) {
                            forced = Scores.drawFrom(residual(p, q, proposed), row.random);
                        }
                    }
                    if (!ok) {
                        rejected = true;
                        break;
                    }
                    accepted++;
                    tokens = Prompts.append(tokens, proposed);
                    if (row.accept(proposed, after[accepted - 1], request, info, listener)) {
                        finished = true;
                        break;
                    }
                }
                // drafted tokens after one that ended the row were never verified: they do not count
                stats.drafted += accepted + (rejected ? 1 : 0);
                stats.accepted += accepted;
                if (finished) {
                    return;
                }
                if (accepted < k) {
                    state.rewind(0, k - accepted);
                }
                logits = after[accepted];
                if (adaptive) {
                    draftLength = accepted == k ? Math.min(MAX_DRAFT, draftLength + 2) : Math.max(1, draftLength - 1);
                }
            }
        }
    }

    /** norm(max(0, p - q)); q null means one-hot on {@code proposed}. Falls back to p if nothing is left. */
    private static double[] residual(double[] p, double[] q, int proposed) {
        double[] r = new double[p.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            double qi = q == null ? (i == proposed ? 1 : 0) : (i < q.length ? q[i] : 0);
            r[i] = Math.max(0, p[i] - qi);
            total += r[i];
        }
        return total > 0 ? r : p;
    }

    static double[] softmax(float[] scores) {
        float max = Scores.max(scores);
        double[] out = new double[scores.length];
        if (max == Float.POSITIVE_INFINITY) {
            out[Scores.argmax(scores)] = 1;
            return out;
        }
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i] > Float.NEGATIVE_INFINITY ? Math.exp(scores[i] - max) : 0;
            total += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= total;
        }
        return out;
    }

    /** Counters over one request, reported as the generation's metrics. */
    private static final class Stats {
        int calls;
        int draftCalls;
        int drafted;
        int accepted;
        int generated;

        Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("generated_tokens", (double) generated);
            m.put("model_calls", (double) calls);
            m.put("draft_model_calls", (double) draftCalls);
            m.put("drafted_tokens", (double) drafted);
            m.put("accepted_tokens", (double) accepted);
            m.put("acceptance_rate", drafted == 0 ? 0 : (double) accepted / drafted);
            m.put("tokens_per_call", calls == 0 ? 0 : (double) generated / calls);
            return m;
        }
    }

    /** One prompt's output, built token by token as StepDecoder builds it. */
    private final class Row {
        final int index;
        final int prompts;
        final int promptLength;
        final TextStreamer streamer;
        final SplittableRandom random;
        int[] ids = new int[16];
        float[] logProbs = new float[16];
        int generated;
        FinishReason finishReason;

        Row(int index, int prompts, int promptLength, TextStreamer streamer, SplittableRandom random) {
            this.index = index;
            this.prompts = prompts;
            this.promptLength = promptLength;
            this.streamer = streamer;
            this.random = random;
        }

        /**
         * Adds a token chosen from {@code rawLogits}, streams it and applies the stopping rules.
         *
         * @return whether the row is finished
         */
        boolean accept(int token, float[] rawLogits, GenerationRequest request, ModelInfo info,
                TokenListener listener) {
            if (generated == ids.length) {
                ids = Arrays.copyOf(ids, generated * 2);
                logProbs = Arrays.copyOf(logProbs, generated * 2);
            }
            ids[generated] = token;
            logProbs[generated++] = request.logProbs() ? rawLogits[token] - Prompts.logSumExp(rawLogits) : Float.NaN;
            FinishReason reason = null;
            String delta;
            if (info.eosTokenIds().contains(token)) {
                reason = FinishReason.EOS;
                delta = streamer.finish();
            } else {
                delta = streamer.push(token);
                if (streamer.stopped()) {
                    reason = FinishReason.STOP_STRING;
                } else if (generated == request.maxNewTokens()) {
                    reason = FinishReason.MAX_TOKENS;
                } else if (promptLength + generated >= info.maxPositions()) {
                    reason = FinishReason.CONTEXT_FULL;
                }
                if (reason != null) {
                    delta += streamer.finish();
                }
            }
            listener.onToken(index, token, delta);
            finishReason = reason;
            return reason != null;
        }
    }
}
