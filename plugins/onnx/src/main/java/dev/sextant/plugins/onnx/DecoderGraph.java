package dev.sextant.plugins.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sextant.spi.ModelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ONNX graph(s) of a decoder-only export with a KV cache, in one of the Hugging Face / Optimum
 * layouts: one graph taking a past ({@code model.onnx}, {@code decoder_model_merged.onnx}), or a
 * graph without past for the prompt ({@code decoder_model.onnx}) and one with past for later steps
 * ({@code decoder_with_past_model.onnx}). Input and output names are read from the graph; cache
 * shapes from {@code config.json}. Thread-safe: every call keeps its state in its arguments.
 *
 * <p>A graph may take an optional int64 (or int32) scalar {@code logits_to_keep}, as Hugging Face's
 * argument of that name: k > 0 computes the logits of the last k positions only, 0 of all. When every
 * graph of the layout has it, {@link #forward} asked for the last position only feeds 1 and writes
 * {@code [rows, 1, vocab]} logits (the LM head runs once per row); otherwise, and always when all
 * positions are asked for, it feeds 0 where the input exists and writes {@code [rows, seq, vocab]}.
 */
final class DecoderGraph implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String POSITION_IDS = "position_ids";
    static final String USE_CACHE_BRANCH = "use_cache_branch";
    static final String LOGITS_TO_KEEP = "logits_to_keep";
    static final String LOGITS = "logits";
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
    private static final Pattern PRESENT = Pattern.compile("present\\.(\\d+)\\.(key|value)");

    private final OrtEnvironment env;
    private final List<Path> files;
    /** Takes a past (possibly empty). */
    private final OrtSession withPast;
    /** Optional: the prompt graph of the two-file layout, without past inputs. */
    private final OrtSession withoutPast;
    private final CausalLmConfig config;
    private final String[] pastNames;
    private final String[] presentNames;
    private final Set<String> presentNameSet;
    private final boolean hasPositionIds;
    private final boolean promptGraphHasPositionIds;
    private final boolean hasUseCacheBranch;
    private final OnnxJavaType idsType;
    private final OnnxJavaType maskType;
    private final OnnxJavaType positionsType;
    private final OnnxJavaType cacheType;
    /** The type and shape of {@code logits_to_keep} in the graph with past, or null if it has none. */
    private final TensorInfo logitsToKeep;
    /** The same in the prompt graph of the two-file layout. */
    private final TensorInfo promptLogitsToKeep;
    /** Whether every graph takes {@code logits_to_keep}, so that a last-position call writes one row each. */
    private final boolean keepsLastLogits;
    private final CacheOps cacheOps;
    /** Logit vectors (rows x positions) the model calls have written; for tests and diagnostics. */
    private final AtomicLong logitVectors = new AtomicLong();

    private DecoderGraph(OrtEnvironment env, List<Path> files, OrtSession withPast, OrtSession withoutPast,
            CausalLmConfig config, CacheOps cacheOps) throws OrtException, ModelException {
        this.env = env;
        this.files = List.copyOf(files);
        this.withPast = withPast;
        this.withoutPast = withoutPast;
        this.config = config;
        this.cacheOps = cacheOps;
        Map<String, NodeInfo> inputs = withPast.getInputInfo();
        Map<String, NodeInfo> outputs = withPast.getOutputInfo();
        Path file = files.get(files.size() - 1);
        int layers = config.layers();
        pastNames = new String[2 * layers];
        presentNames = new String[2 * layers];
        for (int i = 0; i < layers; i++) {
            pastNames[2 * i] = "past_key_values." + i + ".key";
            pastNames[2 * i + 1] = "past_key_values." + i + ".value";
            presentNames[2 * i] = "present." + i + ".key";
            presentNames[2 * i + 1] = "present." + i + ".value";
        }
        presentNameSet = Set.of(presentNames);
        int graphLayers = countLayers(inputs.keySet(), PAST);
        if (graphLayers == 0) {
            throw new ModelException(file + " has no past_key_values.N.key/value inputs: export the model with "
                    + "its KV cache (Optimum task text-generation-with-past)");
        }
        if (graphLayers != layers || countLayers(outputs.keySet(), PRESENT) != layers) {
            throw new ModelException(file + " has " + graphLayers + " layers of past_key_values inputs and "
                    + countLayers(outputs.keySet(), PRESENT) + " of present outputs, but config.json says "
                    + layers + " layers");
        }
        for (String name : new String[] {INPUT_IDS, ATTENTION_MASK}) {
            if (!inputs.containsKey(name)) {
                throw new ModelException(file + " has no input " + name + " (inputs: " + new TreeSet<>(inputs.keySet())
                        + ")");
            }
        }
        if (!outputs.containsKey(LOGITS)) {
            throw new ModelException(file + " has no output logits (outputs: " + new TreeSet<>(outputs.keySet()) + ")");
        }
        Set<String> unknown = new TreeSet<>(inputs.keySet());
        unknown.removeAll(List.of(INPUT_IDS, ATTENTION_MASK, POSITION_IDS, USE_CACHE_BRANCH, LOGITS_TO_KEEP));
        unknown.removeAll(List.of(pastNames));
        if (!unknown.isEmpty()) {
            throw new ModelException(file + " has inputs this loader cannot feed: " + unknown);
        }
        hasPositionIds = inputs.containsKey(POSITION_IDS);
        logitsToKeep = logitsToKeepInfo(file, inputs);
        if (withoutPast != null) {
            Path promptFile = files.get(0);
            Set<String> promptInputs = withoutPast.getInputNames();
            for (String name : new String[] {INPUT_IDS, ATTENTION_MASK}) {
                if (!promptInputs.contains(name)) {
                    throw new ModelException(promptFile + " has no input " + name + " (inputs: "
                            + new TreeSet<>(promptInputs) + ")");
                }
            }
            Set<String> unknownPrompt = new TreeSet<>(promptInputs);
            unknownPrompt.removeAll(List.of(INPUT_IDS, ATTENTION_MASK, POSITION_IDS, LOGITS_TO_KEEP));
            if (!unknownPrompt.isEmpty()) {
                throw new ModelException(promptFile + " has inputs this loader cannot feed: " + unknownPrompt);
            }
            promptGraphHasPositionIds = promptInputs.contains(POSITION_IDS);
            promptLogitsToKeep = logitsToKeepInfo(promptFile, withoutPast.getInputInfo());
        } else {
            promptGraphHasPositionIds = false;
            promptLogitsToKeep = null;
        }
        keepsLastLogits = logitsToKeep != null && (withoutPast == null || promptLogitsToKeep != null);
        hasUseCacheBranch = inputs.containsKey(USE_CACHE_BRANCH);
        idsType = integerType(file, inputs, INPUT_IDS);
        maskType = integerType(file, inputs, ATTENTION_MASK);
        positionsType = hasPositionIds ? integerType(file, inputs, POSITION_IDS) : OnnxJavaType.INT64;
        TensorInfo past = tensorInfo(file, inputs, pastNames[0]);
        cacheType = past.type;
        checkDim(file, pastNames[0], past.getShape(), 1, config.kvHeads(), "num_key_value_heads");
        checkDim(file, pastNames[0], past.getShape(), 3, config.headDim(), "head_dim");
        TensorInfo logits = tensorInfo(file, outputs, LOGITS);
        if (logits.type != OnnxJavaType.FLOAT) {
            throw new ModelException(file + ": logits are " + logits.type + "; only float32 logits are supported "
                    + "(export with float32 outputs)");
        }
        checkDim(file, LOGITS, logits.getShape(), 2, config.vocabSize(), "vocab_size");
    }

    /**
     * Opens the graph(s) of a model folder.
     *
     * @throws ModelException if no known layout is found or the graph does not match config.json
     */
    static DecoderGraph open(Path folder, CausalLmConfig config, int intraOpThreads, int interOpThreads)
            throws ModelException {
        List<Path> files = locate(folder);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<AutoCloseable> opened = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession withoutPast = null;
            if (files.size() == 2) {
                withoutPast = session(env, files.get(0), options);
                opened.add(withoutPast);
            }
            OrtSession withPast = session(env, files.get(files.size() - 1), options);
            opened.add(withPast);
            int cacheElementType = onnxElementType(withPast.getInputInfo(), files.get(files.size() - 1));
            CacheOps ops = new CacheOps(env, 2 * config.layers(), cacheElementType);
            opened.add(ops);
            return new DecoderGraph(env, files, withPast, withoutPast, config, ops);
        } catch (OrtException e) {
            closeQuietly(opened);
            throw new ModelException("ONNX Runtime cannot load the model in " + folder + ": " + e.getMessage(), e);
        } catch (ModelException | RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    /** The ONNX {@code TensorProto.DataType} code of the cache tensors (ONNX Runtime's Java enum numbers differ). */
    private static int onnxElementType(Map<String, NodeInfo> inputs, Path file) throws ModelException {
        NodeInfo past = inputs.entrySet().stream().filter(e -> PAST.matcher(e.getKey()).matches()).findFirst()
                .map(Map.Entry::getValue).orElseThrow(() -> new ModelException(file + " has no past_key_values.N.key/value "
                        + "inputs: export the model with its KV cache (Optimum task text-generation-with-past)"));
        OnnxJavaType type = tensorInfo(file, Map.of(past.getName(), past), past.getName()).type;
        return switch (type) {
            case FLOAT -> 1;
            case FLOAT16 -> 10;
            case DOUBLE -> 11;
            case BFLOAT16 -> 16;
            default -> throw new ModelException(file + ": cache input " + past.getName() + " is " + type
                    + "; float32, float16 or bfloat16 expected");
        };
    }

    /** The graph files of a folder, prompt graph first in the two-file layout. */
    static List<Path> locate(Path folder) throws ModelException {
        if (!Files.isDirectory(folder)) {
            throw new ModelException("model folder " + folder + " does not exist or is not a folder");
        }
        for (Path dir : new Path[] {folder, folder.resolve("onnx")}) {
            for (String single : new String[] {"model.onnx", "decoder_model_merged.onnx"}) {
                if (Files.isRegularFile(dir.resolve(single))) {
                    return List.of(dir.resolve(single));
                }
            }
            Path prompt = dir.resolve("decoder_model.onnx");
            Path step = dir.resolve("decoder_with_past_model.onnx");
            if (Files.isRegularFile(step)) {
                if (!Files.isRegularFile(prompt)) {
                    throw new ModelException("model folder " + folder + " has decoder_with_past_model.onnx but no "
                            + "decoder_model.onnx for the prompt");
                }
                return List.of(prompt, step);
            }
            if (Files.isRegularFile(prompt)) {
                throw new ModelException("model folder " + folder + " has decoder_model.onnx but no "
                        + "decoder_with_past_model.onnx or decoder_model_merged.onnx: export the model with its KV "
                        + "cache (Optimum task text-generation-with-past)");
            }
        }
        throw new ModelException("model folder " + folder + " has no model.onnx, decoder_model_merged.onnx or "
                + "decoder_model.onnx + decoder_with_past_model.onnx");
    }

    private static OrtSession session(OrtEnvironment env, Path file, OrtSession.SessionOptions options)
            throws OrtException {
        return env.createSession(file.toString(), options);
    }

    private static int countLayers(Set<String> names, Pattern pattern) {
        Set<Integer> layers = new LinkedHashSet<>();
        for (String name : names) {
            Matcher m = pattern.matcher(name);
            if (m.matches()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        return layers.size();
    }

    private static TensorInfo tensorInfo(Path file, Map<String, NodeInfo> infos, String name) throws ModelException {
        if (!(infos.get(name).getInfo() instanceof TensorInfo info)) {
            throw new ModelException(file + ": " + name + " is not a tensor");
        }
        return info;
    }

    /** The optional {@code logits_to_keep} input: an int64 or int32 scalar (or one-element vector); null if absent. */
    private static TensorInfo logitsToKeepInfo(Path file, Map<String, NodeInfo> inputs) throws ModelException {
        if (!inputs.containsKey(LOGITS_TO_KEEP)) {
            return null;
        }
        TensorInfo info = tensorInfo(file, inputs, LOGITS_TO_KEEP);
        integerType(file, inputs, LOGITS_TO_KEEP);
        long[] shape = info.getShape();
        if (shape.length > 1 || (shape.length == 1 && shape[0] > 1)) {
            throw new ModelException(file + ": input " + LOGITS_TO_KEEP + " has shape " + Arrays.toString(shape)
                    + "; a scalar (the number of last positions whose logits are computed, 0 for all) is expected");
        }
        return info;
    }

    private static OnnxJavaType integerType(Path file, Map<String, NodeInfo> infos, String name) throws ModelException {
        OnnxJavaType type = tensorInfo(file, infos, name).type;
        if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
            throw new ModelException(file + ": input " + name + " is " + type + "; int64 or int32 expected");
        }
        return type;
    }

    private static void checkDim(Path file, String name, long[] shape, int axis, int expected, String key)
            throws ModelException {
        if (shape.length > axis && shape[axis] > 0 && shape[axis] != expected) {
            throw new ModelException(file + ": " + name + " has size " + shape[axis] + " on axis " + axis
                    + ", but config.json gives " + key + " = " + expected);
        }
    }

    List<Path> files() {
        return files;
    }

    CausalLmConfig config() {
        return config;
    }

    CacheOps cacheOps() {
        return cacheOps;
    }

    /**
     * Whether {@link #forward} asked for the last position only computes and writes that position's
     * logits alone (the graph takes {@code logits_to_keep}).
     */
    boolean keepsLastLogits() {
        return keepsLastLogits;
    }

    /** Positions per row whose logits {@link #forward} writes for {@code seq} new tokens. */
    int logitsPositions(int seq, boolean lastOnly) {
        return lastOnly && keepsLastLogits ? 1 : seq;
    }

    /** Logit vectors (rows x positions) written by all calls so far. */
    long logitVectors() {
        return logitVectors.get();
    }

    /**
     * Runs the model once over {@code seq} new tokens per row.
     *
     * @param ids {@code [rows * seq]} token ids
     * @param positions {@code [rows * seq]} position ids (ignored if the graph has none)
     * @param mask {@code [rows * (past + seq)]} 1 for slots to attend to, 0 for padding
     * @param past the cache of the earlier tokens, or {@code null} for none
     * @param lastOnly whether only the last position's logits are needed; with a graph that
     *     {@link #keepsLastLogits keeps the last logits} only they are computed
     * @param logits receives the {@code [rows, p, vocab]} logits, {@code p} = {@link #logitsPositions}
     *     {@code (seq, lastOnly)}: the last {@code p} positions, in a direct buffer of exactly that size
     * @param keepCache whether to return the new cache (the caller then owns it)
     * @return the new cache of {@code past + seq} slots, or {@code null} if not kept
     */
    KvCache forward(int rows, int seq, long[] ids, long[] positions, long[] mask, KvCache past, boolean lastOnly,
            FloatBuffer logits, boolean keepCache) throws OrtException {
        return forward(rows, seq, ids, positions, mask, past, lastOnly, logits, keepCache, null);
    }

    /**
     * As {@link #forward(int, int, long[], long[], long[], KvCache, boolean, FloatBuffer, boolean)}, feeding
     * integer inputs from {@code io}'s kept direct buffers and reusing its logits tensor when {@code io}
     * is not null (a decoding state's steps).
     */
    KvCache forward(int rows, int seq, long[] ids, long[] positions, long[] mask, KvCache past, boolean lastOnly,
            FloatBuffer logits, boolean keepCache, StepInputs io) throws OrtException {
        int pastLength = past == null ? 0 : past.length();
        int kept = logitsPositions(seq, lastOnly);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(INPUT_IDS, integers(env, ids, new long[] {rows, seq}, idsType, owned, io, StepInputs.IDS));
            inputs.put(ATTENTION_MASK, integers(env, mask, new long[] {rows, pastLength + seq}, maskType, owned, io,
                    StepInputs.MASK));
            OrtSession session = withPast;
            boolean feedPositions = hasPositionIds;
            TensorInfo keepInput = logitsToKeep;
            if (pastLength == 0 && withoutPast != null) {
                session = withoutPast;
                feedPositions = promptGraphHasPositionIds;
                keepInput = promptLogitsToKeep;
            } else {
                if (past != null) {
                    OnnxTensor[] tensors = past.tensors();
                    for (int i = 0; i < tensors.length; i++) {
                        inputs.put(pastNames[i], tensors[i]);
                    }
                } else {
                    long[] shape = {rows, config.kvHeads(), 0, config.headDim()};
                    for (String name : pastNames) {
                        OnnxTensor empty = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), shape, cacheType);
                        owned.add(empty);
                        inputs.put(name, empty);
                    }
                }
                if (hasUseCacheBranch) {
                    OnnxTensor flag = OnnxTensor.createTensor(env, new boolean[] {pastLength > 0});
                    owned.add(flag);
                    inputs.put(USE_CACHE_BRANCH, flag);
                }
            }
            if (feedPositions) {
                inputs.put(POSITION_IDS, integers(env, positions, new long[] {rows, seq}, positionsType, owned, io,
                        StepInputs.POSITIONS));
            }
            if (keepInput != null) {
                // 0 keeps every position (also in the one graph of a two-file layout that has the input)
                inputs.put(LOGITS_TO_KEEP, keep(keepInput, lastOnly && keepsLastLogits ? 1 : 0));
            }
            long[] logitsShape = {rows, kept, config.vocabSize()};
            OnnxTensor logitsTensor;
            if (io != null) {
                logitsTensor = io.logits(env, logits, logitsShape);
            } else {
                logitsTensor = OnnxTensor.createTensor(env, logits, logitsShape);
                owned.add(logitsTensor);
            }
            OrtSession.Result result = session.run(inputs, keepCache ? presentNameSet : Set.of(),
                    Map.of(LOGITS, logitsTensor));
            logitVectors.addAndGet((long) rows * kept);
            if (!keepCache) {
                result.close();
                return null;
            }
            try {
                OnnxTensor[] presents = new OnnxTensor[presentNames.length];
                for (int i = 0; i < presents.length; i++) {
                    presents[i] = (OnnxTensor) result.get(presentNames[i]).orElseThrow();
                }
                // The presents now belong to the new cache; the Result (holding nothing else of its own)
                // is dropped without close() so that they stay open.
                return new KvCache(presents, rows, pastLength + seq);
            } catch (RuntimeException e) {
                result.close();
                throw e;
            }
        } finally {
            for (OnnxTensor tensor : owned) {
                tensor.close();
            }
        }
    }

    /** A fresh direct buffer for {@link #forward}'s logits. */
    static FloatBuffer logitsBuffer(long floats) {
        if (floats > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("a logits buffer of " + floats + " floats is too large; use smaller batches");
        }
        return ByteBuffer.allocateDirect((int) floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** An input tensor of ids, mask or positions in the graph's integer type, added to {@code owned}. */
    static OnnxTensor integers(OrtEnvironment env, long[] values, long[] shape, OnnxJavaType type,
            List<OnnxTensor> owned) throws OrtException {
        return integers(env, values, shape, type, owned, null, 0);
    }

    /** As above, in {@code io}'s kept direct buffer for {@code slot} when {@code io} is given (64-bit graphs). */
    static OnnxTensor integers(OrtEnvironment env, long[] values, long[] shape, OnnxJavaType type,
            List<OnnxTensor> owned, StepInputs io, int slot) throws OrtException {
        OnnxTensor tensor;
        if (type == OnnxJavaType.INT64) {
            tensor = OnnxTensor.createTensor(env, io != null ? io.longs(slot, values) : LongBuffer.wrap(values), shape);
        } else {
            int[] ints = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                ints[i] = Math.toIntExact(values[i]);
            }
            tensor = OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
        }
        owned.add(tensor);
        return tensor;
    }

    /** logits_to_keep tensors by input and value, made once: read-only inputs that concurrent calls share. */
    private final Map<TensorInfo, OnnxTensor[]> keepTensors = new java.util.concurrent.ConcurrentHashMap<>();

    /** The {@code logits_to_keep} input {@code info} holding {@code value} (0 or 1). */
    private OnnxTensor keep(TensorInfo info, int value) throws OrtException {
        OnnxTensor[] pair = keepTensors.get(info);
        if (pair == null) {
            long[] shape = info.getShape().length == 0 ? new long[0] : new long[] {1};
            OnnxTensor[] made = new OnnxTensor[2];
            for (int v = 0; v < 2; v++) {
                made[v] = integers(env, new long[] {v}, shape, info.type, new ArrayList<>());
            }
            pair = keepTensors.putIfAbsent(info, made);
            if (pair == null) {
                pair = made;
            } else {
                made[0].close();
                made[1].close();
            }
        }
        return pair[value];
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        for (OnnxTensor[] pair : keepTensors.values()) {
            all.add(pair[0]);
            all.add(pair[1]);
        }
        all.add(withPast);
        if (withoutPast != null) {
            all.add(withoutPast);
        }
        all.add(cacheOps);
        closeQuietly(all);
    }

    private static void closeQuietly(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing on a failure path or at shutdown: nothing more to do
            }
        }
    }
}
