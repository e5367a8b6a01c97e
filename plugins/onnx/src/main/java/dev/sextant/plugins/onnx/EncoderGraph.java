package dev.sextant.plugins.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sextant.spi.ModelException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ONNX graph of a Hugging Face encoder export ({@code feature-extraction} layout): inputs
 * {@code input_ids} and {@code attention_mask} {@code [batch, seq]}, optionally
 * {@code token_type_ids} (fed zeros: one segment); output {@code last_hidden_state}
 * {@code [batch, seq, hidden]} float32, or else the first float output of rank 3 (exports that name
 * it otherwise). Other outputs, such as a pooler's, are not computed. Thread-safe: every call keeps
 * its state in its arguments.
 */
final class EncoderGraph implements AutoCloseable {

    static final String LAST_HIDDEN_STATE = "last_hidden_state";
    private static final String EXPECTED = "an encoder export takes input_ids and attention_mask [batch, sequence] "
            + "int64 (and optionally token_type_ids) and gives last_hidden_state [batch, sequence, hidden] float32";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String source;
    private final BertInputs inputs;
    /** The output read: {@code last_hidden_state} or the first rank-3 float output. */
    private final String output;
    /** The hidden size the graph declares, or -1 where its output shape leaves it open. */
    private final int declaredHidden;

    private EncoderGraph(OrtEnvironment env, OrtSession session, String source) throws OrtException, ModelException {
        this.env = env;
        this.session = session;
        this.source = source;
        this.inputs = new BertInputs(session.getInputInfo(), source, EXPECTED);
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        output = chooseOutput(outputs);
        long[] shape = ((TensorInfo) outputs.get(output).getInfo()).getShape();
        declaredHidden = shape[2] > 0 ? Math.toIntExact(shape[2]) : -1;
    }

    /** {@code last_hidden_state} if the graph has it (it must then be float32 of rank 3), else the first such output. */
    private String chooseOutput(Map<String, NodeInfo> outputs) throws ModelException {
        if (outputs.containsKey(LAST_HIDDEN_STATE)) {
            TensorInfo info = BertInputs.tensorInfo(outputs, LAST_HIDDEN_STATE, source, EXPECTED);
            if (info.type != OnnxJavaType.FLOAT || info.getShape().length != 3) {
                throw new ModelException(source + ": output " + LAST_HIDDEN_STATE + " is " + info.type + " with "
                        + info.getShape().length + " dimensions; [batch, sequence, hidden] float32 expected");
            }
            return LAST_HIDDEN_STATE;
        }
        for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo info && info.type == OnnxJavaType.FLOAT
                    && info.getShape().length == 3) {
                return e.getKey();
            }
        }
        throw new ModelException(source + " has no output " + LAST_HIDDEN_STATE + " and no other float32 output "
                + "[batch, sequence, hidden] (outputs: " + new TreeSet<>(outputs.keySet()) + "); " + EXPECTED);
    }

    /** The graph file of a folder: {@code model.onnx} or {@code onnx/model.onnx}. */
    static Path locate(Path folder) throws ModelException {
        return GraphSessions.locate(folder, "feature-extraction");
    }

    /** Opens a graph file. */
    static EncoderGraph open(Path file, int intraOpThreads, int interOpThreads) throws ModelException {
        return GraphSessions.open(file, null, file.toString(), intraOpThreads, interOpThreads,
                (env, session) -> new EncoderGraph(env, session, file.toString()));
    }

    /**
     * Opens a graph held in memory (a classpath resource, which ONNX Runtime cannot open by path).
     *
     * @param source names the graph in messages
     */
    static EncoderGraph open(byte[] model, String source, int intraOpThreads, int interOpThreads)
            throws ModelException {
        return GraphSessions.open(null, model, source, intraOpThreads, interOpThreads,
                (env, session) -> new EncoderGraph(env, session, source));
    }

    /** The file or resource the graph was read from. */
    String source() {
        return source;
    }

    /** The output read. */
    String output() {
        return output;
    }

    /** The hidden size the output shape declares, or -1 if it leaves it open. */
    int declaredHidden() {
        return declaredHidden;
    }

    /**
     * Runs one text without a pinned output to learn the hidden size, for graphs whose output shape
     * leaves it open and whose folder has no config.json that says it.
     *
     * @param ids one text's token ids
     */
    int measureHidden(long[] ids) throws OrtException, ModelException {
        List<OnnxTensor> owned = new ArrayList<>();
        try (OrtSession.Result result = session.run(inputs.tensors(env, 1, ids.length, ids, ones(ids.length), owned),
                Set.of(output))) {
            long[] shape = ((TensorInfo) result.get(0).getInfo()).getShape();
            if (shape.length != 3 || shape[0] != 1 || shape[1] != ids.length || shape[2] <= 0) {
                throw new ModelException(source + ": output " + output + " of one text of " + ids.length
                        + " tokens has shape " + Arrays.toString(shape) + "; [1, " + ids.length
                        + ", hidden] expected");
            }
            return Math.toIntExact(shape[2]);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 1);
        return a;
    }

    /**
     * Runs the model once.
     *
     * @param ids {@code [rows * seq]} token ids
     * @param mask {@code [rows * seq]} 1 for tokens, 0 for padding
     * @param hidden receives the {@code [rows, seq, dim]} output: a direct buffer of exactly that size
     */
    void forward(int rows, int seq, int dim, long[] ids, long[] mask, FloatBuffer hidden) throws OrtException {
        inputs.run(env, session, output, rows, seq, dim, ids, mask, hidden);
    }

    @Override
    public void close() {
        GraphSessions.closeQuietly(session);
    }
}
