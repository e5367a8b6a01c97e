package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.TokenClassifier;
import dev.sextant.spi.model.TokenLabels;
import dev.sextant.spi.model.TokenRange;
import dev.sextant.spi.model.Tokenizer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A token classifier run by ONNX Runtime: per token of each text, the softmax over the labels of
 * the graph's {@code logits}.
 *
 * <p>A call tokenizes every text with its special tokens and refuses, before running anything, a
 * text longer than {@code max-length}: cutting it would silently leave its end unlabelled, and only
 * the caller knows where a text may be split (at sentence boundaries, for a compressor). The texts
 * then run as the encoder's do ({@link PaddedBatches}): longest first, in right-padded groups whose
 * padding stays small. Right padding, because BERT-style exports number positions 0, 1, ... inside
 * the graph: only then does every real token keep the position it has alone, and a text gets the
 * same probabilities in any batch. Results follow the caller's order.
 *
 * <p>Shared by concurrent requests: the session is thread-safe and every call keeps its state in
 * local arrays and a leased output buffer.
 */
final class OnnxTokenClassifier implements TokenClassifier {

    /** The most floats one model call writes, as for the other model types; batches are split to stay within it. */
    static final long FLOATS_PER_CALL = OnnxCausalLm.LOGITS_PER_CALL;

    private final ModelInfo info;
    private final DjlTokenizer tokenizer;
    private final TokenClassifierGraph graph;
    private final List<String> labels;
    private final int maxLength;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final int paddingId;
    private final LogitsBuffers buffers = new LogitsBuffers();
    /** How a range of an encoding is wrapped for the model; null if the tokenizer's template is unreadable. */
    private final SpecialTokens specials;

    /**
     * @param labels label names in the order of the graph's logits
     * @param maxLength tokens per text, special tokens included
     * @param maxBatchSize texts per model call
     * @param maxBatchTokens padded token positions per model call
     */
    OnnxTokenClassifier(ModelInfo info, DjlTokenizer tokenizer, TokenClassifierGraph graph, List<String> labels,
            int maxLength, int maxBatchSize, int maxBatchTokens) {
        this.info = info;
        this.tokenizer = tokenizer;
        this.graph = graph;
        this.labels = List.copyOf(labels);
        this.maxLength = maxLength;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        // padding slots are masked, so any valid id would do; pad_token_id is what the model was trained with
        this.paddingId = info.padTokenId() >= 0 && info.padTokenId() < info.vocabSize() ? info.padTokenId() : 0;
        this.specials = SpecialTokens.of(tokenizer).orElse(null);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The model's tokenizer; like every tokenizer of this plugin it never truncates or pads. */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    /**
     * Classifies every token of each text. A text that encodes to no token (an empty text, with a
     * tokenizer that adds no special tokens) gets an empty result and is not run.
     *
     * @return per text, in the order of {@code texts}, its encoding (with special tokens) and one
     *     row of probabilities per token, special tokens included
     * @throws InputException for a null text, or one longer than {@code limits.maxInputTokens} or
     *     {@link #maxLength()}, naming the text's index, its token count and the limit; nothing has run then
     */
    @Override
    public List<TokenLabels> classify(List<String> texts, RunLimits limits) throws SextantException {
        Encoding[] encodings = encode(texts, limits);
        float[][][] rows = run(encodings, limits, true);
        List<TokenLabels> out = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            out.add(new TokenLabels(encodings[i], rows[i]));
        }
        return out;
    }

    /**
     * Classifies ranges of an encoding as they stand: each range's token ids, wrapped in the tokenizer's
     * special tokens, run without encoding any text again (falls back to the substrings when the
     * tokenizer's template could not be read).
     *
     * @throws InputException for a range longer, with its special tokens, than {@code limits.maxInputTokens}
     *     or {@link #maxLength()}, naming its index and token count; nothing has run then
     */
    @Override
    public List<TokenLabels> classify(String text, Encoding encoding, List<TokenRange> ranges, RunLimits limits)
            throws SextantException {
        if (specials == null) {
            return TokenClassifier.super.classify(text, encoding, ranges, limits);
        }
        Encoding[] encodings = new Encoding[ranges.size()];
        for (int i = 0; i < encodings.length; i++) {
            TokenRange range = ranges.get(i);
            if (range.to() > encoding.size()) {
                throw new IllegalArgumentException("token range [" + range.from() + ", " + range.to()
                        + ") is outside an encoding of " + encoding.size() + " tokens");
            }
            String what = "token range " + i + " [" + range.from() + ", " + range.to() + ")";
            limits.checkInputLength(what, range.size() + specials.count());
            if (range.size() + specials.count() > maxLength) {
                throw new InputException(what + " has " + (range.size() + specials.count()) + " tokens (special"
                        + " tokens included), more than the max-length of " + maxLength + " of model '" + info.name()
                        + "': split it, e.g. at sentence boundaries, and classify the parts");
            }
            encodings[i] = specials.wrap(encoding, range);
        }
        float[][][] rows = run(encodings, limits, true);
        List<TokenLabels> out = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            out.add(new TokenLabels(encodings[i], rows[i]));
        }
        return out;
    }

    /**
     * The graph's raw logits {@code [text][token][label]} of each text, as {@link #classify} computes them
     * before the softmax; for comparing with reference outputs.
     */
    float[][][] logits(List<String> texts, RunLimits limits) throws SextantException {
        return run(encode(texts, limits), limits, false);
    }

    /** Encodes every text with its special tokens, refusing those that are null or too long. */
    private Encoding[] encode(List<String> texts, RunLimits limits) throws SextantException {
        int n = texts.size();
        Encoding[] encodings = new Encoding[n];
        for (int i = 0; i < n; i++) {
            String what = "text at index " + i;
            String text = texts.get(i);
            if (text == null) {
                throw new InputException(what + " is null: give a string (an empty one is allowed)");
            }
            Encoding encoding = tokenizer.encode(text, true);
            limits.checkInputLength(what, encoding.size());
            if (encoding.size() > maxLength) {
                throw new InputException(what + " has " + encoding.size() + " tokens (special tokens included), more "
                        + "than the max-length of " + maxLength + " of model '" + info.name() + "': split it, e.g. at "
                        + "sentence boundaries, and classify the parts");
            }
            encodings[i] = encoding;
        }
        return encodings;
    }

    /** Runs the encodings in padding-bounded groups; per text its rows of probabilities, or of logits. */
    private float[][][] run(Encoding[] encodings, RunLimits limits, boolean softmax) throws SextantException {
        int n = encodings.length;
        float[][][] out = new float[n][][];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = encodings[i].size();
            out[i] = new float[0][];
        }
        for (int[] batch : PaddedBatches.plan(lengths, maxBatchSize, maxBatchTokens, labels.size(), FLOATS_PER_CALL)) {
            limits.check();
            run(encodings, batch, lengths[batch[0]], out, softmax);
        }
        return out;
    }

    /** One right-padded call over the texts {@code batch}, whose longest has {@code width} tokens. */
    private void run(Encoding[] encodings, int[] batch, int width, float[][][] out, boolean softmax)
            throws SextantException {
        int rows = batch.length;
        int count = labels.size();
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        Arrays.fill(ids, paddingId);
        for (int r = 0; r < rows; r++) {
            int[] row = encodings[batch[r]].ids();
            for (int j = 0; j < row.length; j++) {
                ids[r * width + j] = row[j];
                mask[r * width + j] = 1;
            }
        }
        try (LogitsBuffers.Lease lease = buffers.take((long) rows * width * count)) {
            FloatBuffer logits = lease.buffer();
            graph.forward(rows, width, count, ids, mask, logits);
            for (int r = 0; r < rows; r++) {
                int length = encodings[batch[r]].size();
                float[][] perToken = new float[length][count];
                for (int t = 0; t < length; t++) {
                    logits.get((r * width + t) * count, perToken[t], 0, count);
                    if (softmax) {
                        softmax(perToken[t]);
                    }
                }
                out[batch[r]] = perToken;
            }
        } catch (OrtException e) {
            throw new ModelException("token-classifier call failed (model '" + info.name() + "', " + graph.file()
                    + "): " + e.getMessage(), e);
        }
    }

    /** Replaces logits by their softmax, in double precision and shifted by the largest, so that it sums to 1. */
    static void softmax(float[] v) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] e = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            e[j] = Math.exp((double) v[j] - max);
            sum += e[j];
        }
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (e[j] / sum);
        }
    }

    @Override
    public void close() {
        graph.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "OnnxTokenClassifier" + Arrays.asList(info.name(), info.architecture(), labels);
    }
}
