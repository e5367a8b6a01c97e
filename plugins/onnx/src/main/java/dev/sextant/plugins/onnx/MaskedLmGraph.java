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
 * The ONNX graph of a masked-language-model export (Hugging Face {@code fill-mask} layout): inputs
 * {@code input_ids} and {@code attention_mask} {@code [batch, seq]}, optionally
 * {@code token_type_ids} (fed zeros: one segment), output {@code logits} {@code [batch, seq, vocab]}
 * float32. Thread-safe: every call keeps its state in its arguments.
 */
final class MaskedLmGraph implements AutoCloseable {

    static final String LOGITS = "logits";
    private static final String EXPECTED = "a masked-LM export takes input_ids and attention_mask [batch, sequence] "
            + "int64 (and optionally token_type_ids) and gives logits [batch, sequence, vocabulary] float32";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path file;
    private final int vocab;
    private final BertInputs inputs;

    private MaskedLmGraph(OrtEnvironment env, OrtSession session, Path file, int vocab) throws OrtException,
            ModelException {
        this.env = env;
        this.session = session;
        this.file = file;
        this.vocab = vocab;
        this.inputs = new BertInputs(session.getInputInfo(), file.toString(), EXPECTED);
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        long[] shape = BertInputs.perTokenOutput(outputs, LOGITS, file.toString(), EXPECTED, "vocabulary",
                "a masked-LM head, not a pooled or classification output");
        if (shape.length == 3 && shape[2] > 0 && shape[2] != vocab) {
            throw new ModelException(file + ": output logits has " + shape[2] + " entries per position, but "
                    + "config.json gives vocab_size = " + vocab);
        }
    }

    /** The graph file of a folder: {@code model.onnx} or {@code onnx/model.onnx}. */
    static Path locate(Path folder) throws ModelException {
        return GraphSessions.locate(folder, "fill-mask");
    }

    /**
     * Opens a graph file.
     *
     * @param vocab {@code vocab_size} from config.json, checked against the graph
     * @throws ModelException if ONNX Runtime cannot load it or its inputs and outputs are not a masked LM's
     */
    static MaskedLmGraph open(Path file, int vocab, int intraOpThreads, int interOpThreads) throws ModelException {
        return GraphSessions.open(file, null, file.toString(), intraOpThreads, interOpThreads,
                (env, session) -> new MaskedLmGraph(env, session, file, vocab));
    }

    Path file() {
        return file;
    }

    /**
     * Runs the model once.
     *
     * @param ids {@code [rows * seq]} token ids
     * @param mask {@code [rows * seq]} 1 for tokens, 0 for padding
     * @param logits receives the {@code [rows, seq, vocab]} logits: a direct buffer of exactly that size
     */
    void forward(int rows, int seq, long[] ids, long[] mask, FloatBuffer logits) throws OrtException {
        inputs.run(env, session, LOGITS, rows, seq, vocab, ids, mask, logits);
    }

    @Override
    public void close() {
        GraphSessions.closeQuietly(session);
    }
}
