package dev.sextant.plugins.decoders;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.FinishReason;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Beam search as Hugging Face {@code generate} does it, including group (diverse) beam search
 * (Vijayakumar et al. 2016). All beams of all prompts are rows of one {@link DecodingState}: each step
 * scores every beam's continuations, keeps the best, and rearranges the rows with
 * {@link DecodingState#fork} (the model plugin reorders its cache) before appending the chosen tokens.
 *
 * <p>Per group of {@code numBeams / groups} beams and per step: a beam's candidates are its score
 * (the sum of its tokens' log-probabilities, after processors) plus each token's log-probability,
 * minus, in group g, {@code diversityPenalty} times how many beams of groups 0..g-1 chose that token
 * at this step. Of the best {@code 2 x group size} candidates, in rank order, one that ends the
 * sequence (EOS, or text reaching a stop string) becomes a finished candidate scored
 * {@code sum / length^lengthPenalty} (length counts the generated tokens, the final EOS included) if
 * it ranks among the best {@code group size}; the others become the group's next beams until there
 * are {@code group size}. A group is done as {@link EarlyStopping} says; a prompt is done when all its
 * groups are, or when it reaches max-new-tokens or the model's context (its running beams then join
 * the finished ones). The prompt's result is its best {@code numReturn} finished candidates over all
 * groups, best first.
 *
 * <p>Processors run on the raw logits of each beam (with the prompt's index as their row), and the
 * log-probabilities come from the processed scores (Hugging Face runs processors on log-probabilities;
 * running them on logits keeps one beam identical to {@code greedy}). Scores include the diversity
 * penalty, as in Hugging Face. Tokens reach the listener only when a prompt is done, all at once: the
 * best sequence's tokens, with the same text deltas {@code greedy} would have streamed.
 */
public final class BeamSearchDecoder implements Decoder {

    private final int numBeams;
    private final int groups;
    private final double diversityPenalty;
    private final double lengthPenalty;
    private final EarlyStopping earlyStopping;
    private final int numReturn;

    BeamSearchDecoder(int numBeams, int groups, double diversityPenalty, double lengthPenalty,
            EarlyStopping earlyStopping, int numReturn) {
        if (numBeams < 1 || groups < 1 || numBeams % groups != 0 || numReturn < 1 || numReturn > numBeams) {
            throw new IllegalArgumentException("impossible beam settings: " + numBeams + " beams, " + groups
                    + " groups, " + numReturn + " returned");
        }
        this.numBeams = numBeams;
        this.groups = groups;
        this.diversityPenalty = diversityPenalty;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.numReturn = numReturn;
    }

    @Override
    public Generation generate(LanguageModel model, GenerationRequest request, TokenListener listener)
            throws SextantException {
        Tokenizer tokenizer = model.tokenizer();
        ModelInfo info = model.info();
        RunLimits limits = request.limits();
        List<int[]> prompts = Prompts.encode(tokenizer, info, request);
        List<LogitsProcessor> processors = Prompts.prepare(request, model);
        int n = prompts.size();
        Search[] searches = new Search[n];
        for (int p = 0; p < n; p++) {
            int length = prompts.get(p).length;
            searches[p] = new Search(p, length, Math.min(request.maxNewTokens(), info.maxPositions() - length));
        }
        if (request.maxNewTokens() == 0) {
            List<GeneratedSequence> empty = new ArrayList<>();
            for (Search search : searches) {
                empty.add(new GeneratedSequence("", new int[0], search.promptLength, new float[0],
                        FinishReason.MAX_TOKENS, 0));
            }
            return new Generation(empty);
        }
        Run run = new Run(info, tokenizer, request, processors, listener, n);
        try (DecodingState state = model.start(prompts, limits)) {
            for (Search search : searches) {
                Beam root = new Beam(new int[0], new float[0], 0, search.index);
                for (Group group : search.groups) {
                    group.running.add(root);
                }
            }
            for (int step = 1; ; step++) {
                limits.check();
                RowScores scores = new RowScores(state, run);
                for (Search search : searches) {
                    if (!search.finished) {
                        search.step(step, scores, run);
                    }
                }
                List<Beam> next = new ArrayList<>();
                for (Search search : searches) {
                    if (!search.finished) {
                        for (Group group : search.groups) {
                            if (!group.done) {
                                next.addAll(group.running);
                            }
                        }
                    }
                }
                if (next.isEmpty()) {
                    break;
                }
                int[] sources = new int[next.size()];
                int[] tokens = new int[next.size()];
                for (int i = 0; i < sources.length; i++) {
                    Beam beam = next.get(i);
                    sources[i] = beam.row;
                    tokens[i] = beam.ids[beam.ids.length - 1];
                    beam.row = i;
                }
                state.fork(sources);
                state.append(tokens);
            }
        }
        List<GeneratedSequence> best = new ArrayList<>();
        List<List<GeneratedSequence>> candidates = new ArrayList<>();
        for (Search search : searches) {
            best.add(search.result.get(0));
            candidates.add(search.result);
        }
        return new Generation(best, candidates, Map.of());
    }

    @Override
    public String toString() {
        String beams = groups == 1 ? "beam(" + numBeams : "diverse-beam(" + numBeams + ", groups=" + groups
                + ", diversity-penalty=" + diversityPenalty;
        return beams + ", length-penalty=" + lengthPenalty + ", early-stopping="
                + earlyStopping.name().toLowerCase(java.util.Locale.ROOT) + ", num-return-sequences=" + numReturn
                + ")";
    }

    /** What one request's steps share. */
    private record Run(ModelInfo info, Tokenizer tokenizer, GenerationRequest request,
            List<LogitsProcessor> processors, TokenListener listener, int prompts) {
    }

    /** A live beam: its generated tokens so far and the state row that holds them. */
    private static final class Beam {
        final int[] ids;
        final float[] logProbs;
        final double sum;
        int row;

        Beam(int[] ids, float[] logProbs, double sum, int row) {
            this.ids = ids;
            this.logProbs = logProbs;
            this.sum = sum;
            this.row = row;
        }
    }

    /** A finished candidate. */
    private record Finished(double score, GeneratedSequence sequence) {
    }

    /** A continuation being ranked: beam {@code beam} of its group plus {@code token}. */
    private record Candidate(double score, int beam, int token) {
    }

    /**
     * The log-probabilities (after processors) and raw log-normaliser of each state row, computed once
     * per step even when several groups extend the same row (the first step).
     */
    private static final class RowScores {
        private final DecodingState state;
        private final Run run;
        private final Map<Integer, double[]> logProbs = new HashMap<>();
        private final Map<Integer, float[]> raw = new HashMap<>();
        private final Map<Integer, Float> rawNorms = new HashMap<>();

        RowScores(DecodingState state, Run run) {
            this.state = state;
            this.run = run;
        }

        /** Log-probabilities after processors, {@code -Infinity} for banned tokens; null if all are banned. */
        double[] logProbs(int row, int prompt, int generated) throws SextantException {
            if (logProbs.containsKey(row)) {
                return logProbs.get(row);
            }
            float[] logits = state.logits(row);
            float[] processed = Prompts.process(run.processors(), prompt, state.tokens(row),
                    state.promptLength(row), logits);
            raw.put(row, logits);
            double[] out = null;
            if (Prompts.hasChoice(processed)) {
                double norm = Prompts.logSumExpDouble(processed);
                out = new double[processed.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = processed[i] > Float.NEGATIVE_INFINITY ? processed[i] - norm : Double.NEGATIVE_INFINITY;
                }
            } else if (!Prompts.hasChoice(logits)) {
                throw Prompts.noChoice(run.info(), run.prompts(), prompt, generated, false);
            }
            logProbs.put(row, out);
            return out;
        }

        /**
         * The model's own log-probability of a token (before processors), as greedy reports it; NaN when
         * the request does not ask for log-probabilities.
         */
        float rawLogProb(int row, int token) {
            if (!run.request().logProbs()) {
                return Float.NaN;
            }
            float[] logits = raw.get(row);
            float norm = rawNorms.computeIfAbsent(row, r -> Prompts.logSumExp(logits));
            return logits[token] - norm;
        }
    }

    /** One prompt's search. */
    private final class Search {
        final int index;
        final int promptLength;
        final int maxNew;
        final Group[] groups = new Group[BeamSearchDecoder.this.groups];
        boolean finished;
        List<GeneratedSequence> result;

        Search(int index, int promptLength, int maxNew) {
            this.index = index;
            this.promptLength = promptLength;
            this.maxNew = maxNew;
            for (int g = 0; g < groups.length; g++) {
                groups[g] = new Group(numBeams / BeamSearchDecoder.this.groups);
            }
        }

        void step(int step, RowScores scores, Run run) throws SextantException {
            Map<Integer, Integer> chosen = new HashMap<>();
            boolean anyChoice = false;
            for (Group group : groups) {
                if (group.done) {
                    continue;
                }
                anyChoice |= group.step(this, step, scores, chosen, run);
                for (Beam beam : group.running) {
                    chosen.merge(beam.ids[beam.ids.length - 1], 1, Integer::sum);
                }
            }
            boolean allDone = true;
            boolean anyFinished = false;
            for (Group group : groups) {
                allDone &= group.done;
                anyFinished |= !group.finished.isEmpty();
            }
            if (!anyChoice && !anyFinished) {
                throw Prompts.noChoice(run.info(), run.prompts(), index, step - 1, true);
            }
            if (!allDone && step >= maxNew) {
                FinishReason reason = step >= run.request().maxNewTokens() ? FinishReason.MAX_TOKENS
                        : FinishReason.CONTEXT_FULL;
                for (Group group : groups) {
                    if (!group.done) {
                        for (Beam beam : group.running) {
                            group.add(beam.sum, beam.ids, beam.logProbs, reason, this, run);
                        }
                        group.running.clear();
                        group.done = true;
                    }
                }
                allDone = true;
            }
            if (allDone) {
                finish(run);
            }
        }

        private void finish(Run run) {
            List<Finished> all = new ArrayList<>();
            for (Group group : groups) {
                all.addAll(group.finished);
            }
            all.sort(Comparator.comparingDouble(Finished::score).reversed());
            result = new ArrayList<>();
            for (int i = 0; i < Math.min(numReturn, all.size()); i++) {
                result.add(all.get(i).sequence());
            }
            finished = true;
            Streaming.replay(run.listener(), index, result.get(0), run.tokenizer(), run.request().stopStrings(),
                    run.info().eosTokenIds());
        }
    }

    /** A group of beams with its finished candidates. */
    private final class Group {
        final int size;
        List<Beam> running = new ArrayList<>();
        final List<Finished> finished = new ArrayList<>();
        boolean done;

        Group(int size) {
            this.size = size;
        }

        /** Extends the group by one token; returns whether any candidate had a finite score. */
        boolean step(Search search, int step, RowScores scores, Map<Integer, Integer> chosen, Run run)
                throws SextantException {
            int k = Math.max(2, 1 + run.info().eosTokenIds().size()) * size;
            List<Candidate> candidates = new ArrayList<>();
            for (int b = 0; b < running.size(); b++) {
                Beam beam = running.get(b);
                double[] logProbs = scores.logProbs(beam.row, search.index, step - 1);
                if (logProbs == null) {
                    continue;
                }
                double[] total = new double[logProbs.length];
                for (int t = 0; t < total.length; t++) {
                    total[t] = beam.sum + logProbs[t];
                }
                if (diversityPenalty != 0) {
                    for (Map.Entry<Integer, Integer> e : chosen.entrySet()) {
                        if (e.getKey() < total.length) {
                            total[e.getKey()] -= diversityPenalty * e.getValue();
                        }
                    }
                }
                for (int t : top(total, k)) {
                    candidates.add(new Candidate(total[t], b, t));
                }
            }
            candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
                    .thenComparingInt(Candidate::beam).thenComparingInt(Candidate::token));
            if (candidates.size() > k) {
                candidates = candidates.subList(0, k);
            }
            List<Beam> next = new ArrayList<>();
            for (int rank = 0; rank < candidates.size() && next.size() < size; rank++) {
                Candidate c = candidates.get(rank);
                Beam parent = running.get(c.beam());
                int[] ids = Prompts.append(parent.ids, c.token());
                float[] logProbs = Arrays.copyOf(parent.logProbs, ids.length);
                logProbs[ids.length - 1] = scores.rawLogProb(parent.row, c.token());
                FinishReason reason = ending(ids, run);
                if (reason != null) {
                    if (rank < size) {
                        add(c.score(), ids, logProbs, reason, search, run);
                    }
                } else {
                    next.add(new Beam(ids, logProbs, c.score(), parent.row));
                }
            }
            running = next;
            if (!candidates.isEmpty()) {
                done = isDone(candidates.get(0).score(), step, search.maxNew);
            }
            if (running.isEmpty()) {
                done = true;
            }
            return !candidates.isEmpty();
        }

        /** Whether the sequence ends with its last token: EOS, or its text now contains a stop string. */
        private FinishReason ending(int[] ids, Run run) {
            if (run.info().eosTokenIds().contains(ids[ids.length - 1])) {
                return FinishReason.EOS;
            }
            List<String> stops = run.request().stopStrings();
            if (!stops.isEmpty() && Prompts.firstStop(run.tokenizer().decode(ids, true), stops) >= 0) {
                return FinishReason.STOP_STRING;
            }
            return null;
        }

        /** Keeps a finished candidate if it is among the group's best {@code size}. */
        void add(double sum, int[] ids, float[] logProbs, FinishReason reason, Search search, Run run) {
            double score = sum / Math.pow(ids.length, lengthPenalty);
            if (finished.size() >= size && score <= worst()) {
                return;
            }
            int[] textIds = reason == FinishReason.EOS ? Arrays.copyOf(ids, ids.length - 1) : ids;
            String text = Prompts.text(run.tokenizer(), textIds, run.request().stopStrings());
            float[] reported = run.request().logProbs() ? logProbs : new float[0];
            finished.add(new Finished(score, new GeneratedSequence(text, ids, search.promptLength, reported, reason,
                    score)));
            if (finished.size() > size) {
                int worst = 0;
                for (int i = 1; i < finished.size(); i++) {
                    if (finished.get(i).score() < finished.get(worst).score()) {
                        worst = i;
                    }
                }
                finished.remove(worst);
            }
        }

        private double worst() {
            double worst = Double.POSITIVE_INFINITY;
            for (Finished f : finished) {
                worst = Math.min(worst, f.score());
            }
            return worst;
        }

        /** Hugging Face's {@code BeamHypotheses.is_done}, with lengths counted in generated tokens. */
        private boolean isDone(double bestSum, int step, int maxNew) {
            if (finished.size() < size) {
                return false;
            }
            return switch (earlyStopping) {
                case TRUE -> true;
                case FALSE -> worst() >= bestSum / Math.pow(step, lengthPenalty);
                case NEVER -> worst() >= bestSum / Math.pow(lengthPenalty > 0 ? maxNew : step, lengthPenalty);
            };
        }
    }

    /**
     * The ids of the {@code k} highest finite scores, highest first, ties to the lowest id (fewer if
     * fewer are finite).
     */
    static int[] top(double[] scores, int k) {
        int[] ids = new int[k];
        double[] best = new double[k];
        int size = 0;
        for (int t = 0; t < scores.length; t++) {
            double s = scores[t];
            if (!(s > Double.NEGATIVE_INFINITY) || (size == k && s <= best[k - 1])) {
                continue;
            }
            int at = size < k ? size : k - 1;
            while (at > 0 && best[at - 1] < s) {
                if (at < k) {
                    best[at] = best[at - 1];
                    ids[at] = ids[at - 1];
                }
                at--;
            }
            best[at] = s;
            ids[at] = t;
            if (size < k) {
                size++;
            }
        }
        return Arrays.copyOf(ids, size);
    }
}
