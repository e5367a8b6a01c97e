package dev.sextant.plugins.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sextant.spi.ModelException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The ONNX graph of a token-classification export (Hugging Face Optimum's
 * {@code token-classification} layout): inputs {@code input_ids} and {@code attention_mask}
 * {@code [batch, seq]}, optionally {@code token_type_ids} (fed zeros: one segment), output
 * {@code logits} {@code [batch, seq, labels]} float32. Other outputs are not computed. Thread-safe:
 * every call keeps its state in its arguments.
 */
final class TokenClassifierGraph implements AutoCloseable {

    static final String LOGITS = "logits";
    private static final String EXPECTED = "a token-classification export takes input_ids and attention_mask "
            + "[batch, sequence] int64 (and optionally token_type_ids) and gives logits [batch, sequence, labels] "
            + "float32";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path file;
    private final BertInputs inputs;
    /** The number of labels the output shape declares, or -1 where it leaves it open. */
    private final int declaredLabels;

    private TokenClassifierGraph(OrtEnvironment env, OrtSession session, Path file) throws OrtException,
            ModelException {
        this.env = env;
        this.session = session;
        this.file = file;
        this.inputs = new BertInputs(session.getInputInfo(), file.toString(), EXPECTED);
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        long[] shape = BertInputs.perTokenOutput(outputs, LOGITS, file.toString(), EXPECTED, "labels",
                "a token-classification head, not a sequence-classification one");
        declaredLabels = shape.length == 3 && shape[2] > 0 ? Math.toIntExact(shape[2]) : -1;
    }

    /** The graph file of a folder: {@code model.onnx} or {@code onnx/model.onnx}. */
    static Path locate(Path folder) throws ModelException {
        return GraphSessions.locate(folder, "token-classification");
    }

    /**
     * Opens a graph file.
     *
     * @throws ModelException if ONNX Runtime cannot load it or its inputs and outputs are not a token classifier's
     */
    static TokenClassifierGraph open(Path file, int intraOpThreads, int interOpThreads) throws ModelException {
        return GraphSessions.open(file, null, file.toString(), intraOpThreads, interOpThreads,
                (env, session) -> new TokenClassifierGraph(env, session, file));
    }

    Path file() {
        return file;
    }

    /** The number of labels the output shape declares, or -1 if it leaves it open. */
    int declaredLabels() {
        return declaredLabels;
    }

    /**
     * Runs the model once.
     *
     * @param ids {@code [rows * seq]} token ids
     * @param mask {@code [rows * seq]} 1 for tokens, 0 for padding
     * @param logits receives the {@code [rows, seq, labels]} logits: a direct buffer of exactly that size
     */
    void forward(int rows, int seq, int labels, long[] ids, long[] mask, FloatBuffer logits) throws OrtException {
        inputs.run(env, session, LOGITS, rows, seq, labels, ids, mask, logits);
    }

    @Override
    public void close() {
        GraphSessions.closeQuietly(session);
    }
}
