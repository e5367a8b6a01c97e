package dev.sextant.plugins.decoders;

import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.FinishReason;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.StepDecoder;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact extraction for extractive questions: instead of generating, the answer is the span of the
 * prompt's context that the model itself finds most probable. Every span of one to
 * {@code max-words} words of the context is a candidate, scored as the continuation
 * {@code " " + span + end} (log-probabilities summed, so the model must also end the answer there);
 * the best wins, ties to the earlier span. Greedy decoding can wander off the context or stop early;
 * this cannot answer with text the context lacks, and it finds the model's best span exactly rather
 * than by a left-to-right guess.
 *
 * <p>Cost: one prefill of the prompt, then per group of candidates with the same token count one fork
 * of that row (the KV cache copied inside the model plugin) and one {@code appendAll} call over them
 * all, so the prompt is never run twice; rows are rewound and folded back to one afterwards. Groups
 * run at most {@link #ROWS_PER_CALL} rows at a time.
 */
final class ExactExtractDecoder implements Decoder {

    /** Candidates scored in one model call. */
    static final int ROWS_PER_CALL = 64;

    private final ExactExtractConfig config;

    ExactExtractDecoder(ExactExtractConfig config) {
        this.config = config;
    }

    @Override
    public Generation generate(LanguageModel model, GenerationRequest request, TokenListener listener)
            throws SextantException {
        List<GeneratedSequence> out = new ArrayList<>();
        for (int r = 0; r < request.prompts().size(); r++) {
            String what = request.prompts().size() == 1 ? "the prompt" : "prompt " + (r + 1);
            out.add(extract(model, request, r, what, listener));
        }
        return new Generation(out);
    }

    private GeneratedSequence extract(LanguageModel model, GenerationRequest request, int index, String what,
            TokenListener listener) throws SextantException {
        RunLimits limits = request.limits();
        Tokenizer tokenizer = model.tokenizer();
        String prompt = request.prompts().get(index);
        int[] promptIds = tokenizer.encode(prompt, true).ids();
        if (promptIds.length == 0) {
            throw new InputException(what + " is empty: give a context and a question");
        }
        limits.checkInputLength(what, promptIds.length);
        List<String> spans = spans(prompt, what);
        // Candidates by token count, each as its continuation's ids; a span seen twice is scored once.
        Map<String, int[]> byText = new LinkedHashMap<>();
        for (String span : spans) {
            byText.computeIfAbsent(span, s -> tokenizer.encode(" " + s + config.end(), false).ids());
        }
        List<String> texts = new ArrayList<>();
        TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
        for (Map.Entry<String, int[]> e : byText.entrySet()) {
            int length = e.getValue().length;
            if (length == 0 || length > Math.max(1, request.maxNewTokens())
                    || promptIds.length + length > model.info().maxPositions()) {
                continue;
            }
            groups.computeIfAbsent(length, k -> new ArrayList<>()).add(texts.size());
            texts.add(e.getKey());
        }
        if (texts.isEmpty()) {
            throw new InputException(what + " has no span of its context that fits in max-new-tokens "
                    + request.maxNewTokens() + " and the model's " + model.info().maxPositions() + " positions");
        }
        int[][] ids = new int[texts.size()][];
        for (int c = 0; c < texts.size(); c++) {
            ids[c] = byText.get(texts.get(c));
        }
        float[] scores = new float[texts.size()];
        float[][] perToken = new float[texts.size()][];
        try (DecodingState state = model.start(List.of(promptIds), limits)) {
            float[] first = logSoftmax(state.logits(0));
            for (Map.Entry<Integer, List<Integer>> group : groups.entrySet()) {
                int length = group.getKey();
                List<Integer> members = group.getValue();
                for (int from = 0; from < members.size(); from += ROWS_PER_CALL) {
                    limits.check();
                    List<Integer> batch = members.subList(from, Math.min(members.size(), from + ROWS_PER_CALL));
                    score(state, first, ids, batch, length, scores, perToken);
                }
            }
        }
        int best = 0;
        for (int c = 1; c < texts.size(); c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        String text = " " + texts.get(best);
        int[] chosen = ids[best];
        listener.onToken(index, chosen[0], text);
        return new GeneratedSequence(text, chosen, promptIds.length,
                request.logProbs() ? perToken[best] : new float[0],
                config.end().isEmpty() ? FinishReason.MAX_TOKENS : FinishReason.STOP_STRING);
    }

    /**
     * Scores candidates of {@code length} tokens: the prompt's row forked once per candidate, all but
     * the last token appended in one call, the log-probabilities summed; then the rows are rewound and
     * folded back into the prompt's single row.
     */
    private static void score(DecodingState state, float[] first, int[][] ids, List<Integer> batch, int length,
            float[] scores, float[][] perToken) throws SextantException {
        int k = batch.size();
        float[][][] after = null;
        if (length > 1) {
            state.fork(new int[k]);
            int[][] appended = new int[k][];
            for (int i = 0; i < k; i++) {
                appended[i] = Arrays.copyOf(ids[batch.get(i)], length - 1);
            }
            after = state.appendAll(appended);
        }
        for (int i = 0; i < k; i++) {
            int c = batch.get(i);
            float[] lp = new float[length];
            lp[0] = first[ids[c][0]];
            for (int t = 1; t < length; t++) {
                float[] logits = after[i][t - 1];
                lp[t] = logits[ids[c][t]] - StepDecoder.logSumExp(logits);
            }
            float sum = 0;
            for (float v : lp) {
                sum += v;
            }
            scores[c] = sum;
            perToken[c] = lp;
        }
        if (length > 1) {
            for (int i = 0; i < k; i++) {
                state.rewind(i, length - 1);
            }
            state.fork(new int[] {0});
        }
    }

    /** Every span of 1 to max-words whitespace-separated words of the prompt's context, in text order. */
    private List<String> spans(String prompt, String what) throws InputException {
        int start = 0;
        if (!config.contextFrom().isEmpty()) {
            int at = prompt.indexOf(config.contextFrom());
            if (at < 0) {
                throw new InputException(what + " has no '" + config.contextFrom() + "' (context-from), so there is"
                        + " no context to extract from");
            }
            start = at + config.contextFrom().length();
        }
        int end = prompt.length();
        if (!config.contextUntil().isEmpty()) {
            int at = prompt.indexOf(config.contextUntil(), start);
            if (at < 0) {
                throw new InputException(what + " has no '" + config.contextUntil() + "' (context-until) after its"
                        + " context");
            }
            end = at;
        }
        List<int[]> words = new ArrayList<>();
        int i = start;
        while (i < end) {
            while (i < end && Character.isWhitespace(prompt.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < end && !Character.isWhitespace(prompt.charAt(i))) {
                i++;
            }
            if (i > s) {
                words.add(new int[] {s, i});
            }
        }
        if (words.isEmpty()) {
            throw new InputException(what + "'s context is empty: nothing to extract");
        }
        List<String> spans = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            StringBuilder span = new StringBuilder();
            for (int n = 0; n < config.maxWords() && w + n < words.size(); n++) {
                int[] word = words.get(w + n);
                span.append(n == 0 ? "" : " ").append(prompt, word[0], word[1]);
                spans.add(span.toString());
            }
        }
        if (spans.size() > config.maxCandidates()) {
            throw new InputException(what + "'s context gives " + spans.size() + " spans of up to " + config.maxWords()
                    + " words, more than max-candidates " + config.maxCandidates() + ": shorten the context, lower"
                    + " max-words or raise max-candidates");
        }
        return spans;
    }

    private static float[] logSoftmax(float[] logits) {
        float norm = StepDecoder.logSumExp(logits);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - norm;
        }
        return out;
    }

    @Override
    public String toString() {
        return "exact-extract";
    }
}
