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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ONNX graph of a masked-language-model export (Hugging Face {@code fill-mask} layout): inputs
 * {@code input_ids} and {@code attention_mask} {@code [batch, seq]}, optionally
 * {@code token_type_ids} (fed zeros: one segment), output {@code logits} {@code [batch, seq, vocab]}
 * float32. Thread-safe: every call keeps its state in its arguments.
 */
final class MaskedLmGraph implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LOGITS = "logits";
    private static final String EXPECTED = "a masked-LM export takes input_ids and attention_mask [batch, sequence] "
            + "int64 (and optionally token_type_ids) and gives logits [batch, sequence, vocabulary] float32";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path file;
    private final int vocab;
    private final OnnxJavaType idsType;
    private final OnnxJavaType maskType;
    /** The type of {@code token_type_ids}, or null if the graph has no such input. */
    private final OnnxJavaType typeIdsType;

    private MaskedLmGraph(OrtEnvironment env, OrtSession session, Path file, int vocab) throws OrtException,
            ModelException {
        this.env = env;
        this.session = session;
        this.file = file;
        this.vocab = vocab;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        for (String name : new String[] {INPUT_IDS, ATTENTION_MASK}) {
            if (!inputs.containsKey(name)) {
                throw new ModelException(file + " has no input " + name + " (inputs: " + new TreeSet<>(inputs.keySet())
                        + "); " + EXPECTED);
            }
        }
        Set<String> unknown = new TreeSet<>(inputs.keySet());
        unknown.removeAll(List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS));
        if (!unknown.isEmpty()) {
            throw new ModelException(file + " has inputs this loader cannot feed: " + unknown + "; " + EXPECTED);
        }
        if (!outputs.containsKey(LOGITS)) {
            throw new ModelException(file + " has no output logits (outputs: " + new TreeSet<>(outputs.keySet())
                    + "); " + EXPECTED);
        }
        idsType = integerType(inputs, INPUT_IDS);
        maskType = integerType(inputs, ATTENTION_MASK);
        typeIdsType = inputs.containsKey(TOKEN_TYPE_IDS) ? integerType(inputs, TOKEN_TYPE_IDS) : null;
        TensorInfo logits = tensorInfo(outputs, LOGITS);
        if (logits.type != OnnxJavaType.FLOAT) {
            throw new ModelException(file + ": output logits is " + logits.type + "; float32 expected (export with "
                    + "float32 outputs)");
        }
        long[] shape = logits.getShape();
        // no dimensions at all means the graph does not say; the first call will tell
        if (shape.length != 0 && shape.length != 3) {
            throw new ModelException(file + ": output logits has " + shape.length + " dimensions; [batch, sequence, "
                    + "vocabulary] expected (a masked-LM head, not a pooled or classification output)");
        }
        if (shape.length == 3 && shape[2] > 0 && shape[2] != vocab) {
            throw new ModelException(file + ": output logits has " + shape[2] + " entries per position, but "
                    + "config.json gives vocab_size = " + vocab);
        }
    }

    /**
     * The graph file of a folder: {@code model.onnx}, or {@code onnx/model.onnx} as some exports
     * place it.
     */
    static Path locate(Path folder) throws ModelException {
        if (!Files.isDirectory(folder)) {
            throw new ModelException("model folder " + folder + " does not exist or is not a folder");
        }
        for (Path file : new Path[] {folder.resolve("model.onnx"), folder.resolve("onnx").resolve("model.onnx")}) {
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new ModelException("model folder " + folder + " has no model.onnx (export the model with the "
                + "Hugging Face Optimum task fill-mask)");
    }

    /**
     * Opens a graph file.
     *
     * @param vocab {@code vocab_size} from config.json, checked against the graph
     * @throws ModelException if ONNX Runtime cannot load it or its inputs and outputs are not a masked LM's
     */
    static MaskedLmGraph open(Path file, int vocab, int intraOpThreads, int interOpThreads) throws ModelException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(file.toString(), options);
            return new MaskedLmGraph(env, session, file, vocab);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelException("ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
        } catch (ModelException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private TensorInfo tensorInfo(Map<String, NodeInfo> infos, String name) throws ModelException {
        if (!(infos.get(name).getInfo() instanceof TensorInfo info)) {
            throw new ModelException(file + ": " + name + " is not a tensor; " + EXPECTED);
        }
        return info;
    }

    private OnnxJavaType integerType(Map<String, NodeInfo> infos, String name) throws ModelException {
        OnnxJavaType type = tensorInfo(infos, name).type;
        if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
            throw new ModelException(file + ": input " + name + " is " + type + "; int64 (or int32) expected");
        }
        return type;
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
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            long[] shape = {rows, seq};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(INPUT_IDS, DecoderGraph.integers(env, ids, shape, idsType, owned));
            inputs.put(ATTENTION_MASK, DecoderGraph.integers(env, mask, shape, maskType, owned));
            if (typeIdsType != null) {
                inputs.put(TOKEN_TYPE_IDS, DecoderGraph.integers(env, new long[ids.length], shape, typeIdsType, owned));
            }
            OnnxTensor logitsTensor = OnnxTensor.createTensor(env, logits, new long[] {rows, seq, vocab});
            owned.add(logitsTensor);
            session.run(inputs, Set.of(), Map.of(LOGITS, logitsTensor)).close();
        } finally {
            for (OnnxTensor tensor : owned) {
                tensor.close();
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // closing on a failure path or at shutdown: nothing more to do
            }
        }
    }
}
