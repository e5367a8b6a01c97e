package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.MaskedLanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A masked language model run by ONNX Runtime. Batches are right-padded because BERT-style exports
 * number positions 0, 1, ... inside the graph: only then does every real token keep the position it
 * has alone. Only the rows at mask positions are copied out of the native logits. Shared by
 * concurrent requests: the session is thread-safe and every call keeps its state in local arrays.
 */
final class OnnxMaskedLm implements MaskedLanguageModel {

    /** The most logits one model call writes, as for the causal LM; batches are split to stay within it. */
    static final long LOGITS_PER_CALL = OnnxCausalLm.LOGITS_PER_CALL;

    private final ModelInfo info;
    private final DjlTokenizer tokenizer;
    private final MaskedLmGraph graph;
    private final int maskTokenId;
    private final int paddingId;
    private final int maxBatchSize;
    private final long logitsPerCall;
    private final LogitsBuffers buffers = new LogitsBuffers();

    /**
     * @param maxBatchSize rows per model call
     * @param logitsPerCall see {@link #LOGITS_PER_CALL}; smaller in tests to exercise splitting
     */
    OnnxMaskedLm(ModelInfo info, DjlTokenizer tokenizer, MaskedLmGraph graph, int maskTokenId, int maxBatchSize,
            long logitsPerCall) {
        this.info = info;
        this.tokenizer = tokenizer;
        this.graph = graph;
        this.maskTokenId = maskTokenId;
        this.maxBatchSize = maxBatchSize;
        this.logitsPerCall = logitsPerCall;
        // padding slots are masked, so any valid id would do
        this.paddingId = info.padTokenId() >= 0 && info.padTokenId() < info.vocabSize() ? info.padTokenId() : 0;
    }

    /** The same model with another logits budget per call (tests); closing either closes both. */
    OnnxMaskedLm withLogitsPerCall(long floats) {
        return new OnnxMaskedLm(info, tokenizer, graph, maskTokenId, maxBatchSize, floats);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int maskTokenId() {
        return maskTokenId;
    }

    @Override
    public float[][][] maskedLogits(List<int[]> sequences, RunLimits limits) throws SextantException {
        int n = sequences.size();
        float[][][] out = new float[n][][];
        List<Integer> toRun = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] seq = sequences.get(i);
            int masks = check(n == 1 ? "the sequence" : "sequence " + (i + 1), seq, limits);
            out[i] = new float[masks][];
            if (masks > 0) {
                toRun.add(i);
            }
        }
        // longest first, so that rows of similar length share a call and little padding is computed
        toRun.sort(Comparator.comparingInt((Integer i) -> sequences.get(i).length).reversed());
        for (int from = 0; from < toRun.size(); ) {
            limits.check();
            int width = sequences.get(toRun.get(from)).length;
            // a bidirectional model cannot split positions: one row runs alone even if over the budget
            long fit = Math.max(1, logitsPerCall / ((long) width * info.vocabSize()));
            int rows = (int) Math.min(Math.min(maxBatchSize, toRun.size() - from), fit);
            run(sequences, toRun.subList(from, from + rows), width, out);
            from += rows;
        }
        return out;
    }

    /** Refuses an unusable sequence; returns its number of mask tokens. */
    private int check(String what, int[] tokens, RunLimits limits) throws InputException {
        if (tokens.length == 0) {
            throw new InputException(what + " is empty: give at least one token");
        }
        limits.checkInputLength(what, tokens.length);
        if (tokens.length > info.maxPositions()) {
            throw new InputException(what + " has " + tokens.length + " tokens, but model '" + info.name()
                    + "' reads at most " + info.maxPositions());
        }
        int masks = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= info.vocabSize()) {
                throw new InputException(what + " has token id " + tokens[i] + " at position " + i
                        + ", outside the vocabulary 0.." + (info.vocabSize() - 1));
            }
            if (tokens[i] == maskTokenId) {
                masks++;
            }
        }
        return masks;
    }

    /** One right-padded call over {@code batch}, whose longest row has {@code width} tokens. */
    private void run(List<int[]> sequences, List<Integer> batch, int width, float[][][] out) throws SextantException {
        int rows = batch.size();
        int vocab = info.vocabSize();
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        Arrays.fill(ids, paddingId);
        for (int r = 0; r < rows; r++) {
            int[] tokens = sequences.get(batch.get(r));
            for (int j = 0; j < tokens.length; j++) {
                ids[r * width + j] = tokens[j];
                mask[r * width + j] = 1;
            }
        }
        try (LogitsBuffers.Lease lease = buffers.take((long) rows * width * vocab)) {
            FloatBuffer logits = lease.buffer();
            graph.forward(rows, width, ids, mask, logits);
            for (int r = 0; r < rows; r++) {
                int[] tokens = sequences.get(batch.get(r));
                float[][] rowOut = out[batch.get(r)];
                int k = 0;
                for (int j = 0; j < tokens.length; j++) {
                    if (tokens[j] == maskTokenId) {
                        float[] v = new float[vocab];
                        logits.get((int) (((long) r * width + j) * vocab), v, 0, vocab);
                        rowOut[k++] = v;
                    }
                }
            }
        } catch (OrtException e) {
            throw new ModelException("masked-LM call failed (model '" + info.name() + "'): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        graph.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "OnnxMaskedLm" + Arrays.asList(info.name(), info.architecture());
    }
}
