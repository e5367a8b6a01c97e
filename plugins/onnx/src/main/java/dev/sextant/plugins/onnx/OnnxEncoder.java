package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sentence encoder run by ONNX Runtime: one vector per text, pooled from the graph's
 * {@code last_hidden_state}.
 *
 * <p>A call tokenizes every text, cuts texts longer than {@code max-length} (counted, and reported
 * in one warning per call: {@link Embeddings} has no place for it), then runs the texts longest
 * first in groups of at most {@code max-batch-size} texts and {@code max-batch-tokens} positions
 * whose padding stays small ({@link PaddedBatches}); the rows of the result follow the caller's order. Batches are
 * right-padded, because BERT-style exports number positions 0, 1, ... inside the graph: only then
 * does every real token keep the position it has alone, and a text gets the same vector in any
 * batch. Pooling reads only a text's own tokens.
 *
 * <p>Shared by concurrent requests: the session is thread-safe and every call keeps its state in
 * local arrays and a leased output buffer.
 */
final class OnnxEncoder implements Encoder {

    /** The most floats one model call writes, as for the other model types; batches are split to stay within it. */
    static final long FLOATS_PER_CALL = OnnxCausalLm.LOGITS_PER_CALL;

    private static final System.Logger LOG = System.getLogger(OnnxEncoder.class.getName());

    private final ModelInfo info;
    private final DjlTokenizer tokenizer;
    private final EncoderGraph graph;
    private final TokenWindow window;
    private final Pooling pooling;
    private final boolean normalize;
    private final boolean tokenEmbeddings;
    private final int dimension;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final int paddingId;
    private final LogitsBuffers buffers = new LogitsBuffers();
    private final AtomicLong truncatedTexts = new AtomicLong();

    /**
     * @param dimension the hidden size: floats per token vector and per pooled vector
     * @param maxBatchSize texts per model call
     * @param maxBatchTokens padded token positions per model call
     */
    OnnxEncoder(ModelInfo info, DjlTokenizer tokenizer, EncoderGraph graph, TokenWindow window, Pooling pooling,
            boolean normalize, boolean tokenEmbeddings, int dimension, int maxBatchSize, int maxBatchTokens) {
        this.info = info;
        this.tokenizer = tokenizer;
        this.graph = graph;
        this.window = window;
        this.pooling = pooling;
        this.normalize = normalize;
        this.tokenEmbeddings = tokenEmbeddings;
        this.dimension = dimension;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        // padding slots are masked, so any valid id would do
        this.paddingId = info.padTokenId() >= 0 && info.padTokenId() < info.vocabSize() ? info.padTokenId() : 0;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The model's tokenizer; like every tokenizer of this plugin it never truncates (only {@link #embed} does). */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** The provenance without what leaves the vectors unchanged: where the files were read from, thread counts. */
    @Override
    public java.util.Map<String, String> identity() {
        java.util.Map<String, String> identity = new java.util.TreeMap<>(info.provenance());
        identity.keySet().removeAll(NOT_IDENTITY);
        return identity;
    }

    private static final java.util.Set<String> NOT_IDENTITY = java.util.Set.of("source", "intra-op-threads",
            "inter-op-threads");

    /** Texts truncated to {@code max-length} since the model was loaded, over all calls. */
    long truncatedTexts() {
        return truncatedTexts.get();
    }

    /**
     * Encodes texts. A text longer than {@code max-length} tokens (special tokens included) is
     * truncated: its encoding holds exactly {@code max-length} tokens, the closing special tokens
     * last. A text longer than {@code limits.maxInputTokens} before truncation is refused, as every
     * model type refuses such inputs.
     *
     * @return pooled vectors in the order of {@code texts}; token vectors (unpadded, one per token of
     *     each encoding) only with {@code token-embeddings: true}, else {@code null}
     * @throws InputException for a null text, one over the limits, or one that encodes to no token
     */
    @Override
    public Embeddings embed(List<String> texts, RunLimits limits) throws SextantException {
        int n = texts.size();
        Encoding[] encodings = new Encoding[n];
        int truncated = 0;
        for (int i = 0; i < n; i++) {
            String what = n == 1 ? "the text" : "text " + (i + 1);
            String text = texts.get(i);
            if (text == null) {
                throw new InputException(what + " is null: give a string (an empty one is allowed)");
            }
            Encoding full = tokenizer.encode(text, true);
            limits.checkInputLength(what, full.size());
            if (full.size() == 0) {
                throw new InputException(what + " encodes to no token (the tokenizer of model '" + info.name()
                        + "' adds no special tokens): give some text");
            }
            encodings[i] = window.cut(full);
            if (encodings[i] != full) {
                truncated++;
            }
        }
        report(truncated, n);
        float[][] pooled = new float[n][];
        float[][][] tokens = tokenEmbeddings ? new float[n][][] : null;
        int[] lengths = new int[n];
        Arrays.setAll(lengths, i -> encodings[i].size());
        for (int[] batch : PaddedBatches.plan(lengths, maxBatchSize, maxBatchTokens, dimension, FLOATS_PER_CALL)) {
            limits.check();
            run(encodings, batch, lengths[batch[0]], pooled, tokens);
        }
        return new Embeddings(pooled, tokens, Arrays.asList(encodings));
    }

    /**
     * Truncation changes what a vector stands for, so it is never silent: one warning per call that
     * truncated, with the count, and a running total in {@link #truncatedTexts()}.
     */
    private void report(int truncated, int texts) {
        if (truncated == 0) {
            return;
        }
        truncatedTexts.addAndGet(truncated);
        LOG.log(System.Logger.Level.WARNING, () -> "model '" + info.name() + "': " + truncated + " of " + texts
                + " texts had more than max-length " + window.maxLength() + " tokens and were truncated to their "
                + "first tokens (raise max-length, up to " + info.maxPositions() + ", or split long texts)");
    }

    /** One right-padded call over the texts {@code batch}, whose longest has {@code width} tokens. */
    private void run(Encoding[] encodings, int[] batch, int width, float[][] pooled, float[][][] tokens)
            throws SextantException {
        int rows = batch.length;
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
        try (LogitsBuffers.Lease lease = buffers.take((long) rows * width * dimension)) {
            FloatBuffer hidden = lease.buffer();
            graph.forward(rows, width, dimension, ids, mask, hidden);
            for (int r = 0; r < rows; r++) {
                int text = batch[r];
                int length = encodings[text].size();
                int start = r * width * dimension;
                float[] vector = pooling.pool(hidden, start, length, dimension);
                if (normalize) {
                    Pooling.normalize(vector);
                }
                pooled[text] = vector;
                if (tokens != null) {
                    float[][] perToken = new float[length][dimension];
                    for (int t = 0; t < length; t++) {
                        hidden.get(start + t * dimension, perToken[t], 0, dimension);
                    }
                    tokens[text] = perToken;
                }
            }
        } catch (OrtException e) {
            throw new ModelException("encoder call failed (model '" + info.name() + "', " + graph.source() + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        graph.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "OnnxEncoder" + Arrays.asList(info.name(), info.architecture(), pooling.optionValue());
    }
}
