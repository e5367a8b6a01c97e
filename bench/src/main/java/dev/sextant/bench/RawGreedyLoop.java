package dev.sextant.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The baseline: the smallest reasonable hand-written ONNX Runtime greedy loop over a decoder-only
 * export with Optimum names. One session; a prefill over the prompt with an empty past, then one
 * token per call, feeding {@code present.*} back as {@code past_key_values.*} as they are (no copy),
 * logits read from a pinned output buffer, argmax in Java. Every tensor and result is closed.
 * Batch 1, no padding, no stopping rule: it makes exactly as many tokens as it is asked for.
 *
 * <p>Not thread-safe (it reuses its buffers); one instance per benchmark thread.
 */
final class RawGreedyLoop implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String[] pastNames;
    private final Set<String> presentNames;
    private final String[] presentByPast;
    private final int vocab;
    private final OnnxTensor[] emptyPast;
    /** Pinned [1, 1, vocab] logits of a one-token step, reused by every step. */
    private final FloatBuffer stepLogits;
    private final OnnxTensor stepLogitsTensor;
    /**
     * {@code logits_to_keep = 1} when the export has that input (Hugging Face's name): a minimal
     * loop asks only for the last position's logits; {@code null} for exports without it.
     */
    private final OnnxTensor lastOnly;
    private final Map<String, OnnxTensor> inputs = new HashMap<>();
    private long[] ones = new long[0];
    private FloatBuffer prefillLogits = directFloats(0);

    private long sessionNanos;
    private long prefillNanos;

    RawGreedyLoop(Path modelFile, int intraOpThreads) throws OrtException {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(modelFile.toString(), options);
        }
        try {
            Map<String, NodeInfo> in = session.getInputInfo();
            int layers = 0;
            while (in.containsKey("past_key_values." + layers + ".key")) {
                layers++;
            }
            if (layers == 0) {
                throw new IllegalArgumentException(modelFile + " has no past_key_values.N.key inputs");
            }
            pastNames = new String[2 * layers];
            presentByPast = new String[2 * layers];
            presentNames = new LinkedHashSet<>();
            for (int i = 0; i < layers; i++) {
                pastNames[2 * i] = "past_key_values." + i + ".key";
                pastNames[2 * i + 1] = "past_key_values." + i + ".value";
                presentByPast[2 * i] = "present." + i + ".key";
                presentByPast[2 * i + 1] = "present." + i + ".value";
            }
            presentNames.addAll(Arrays.asList(presentByPast));
            long[] pastShape = ((TensorInfo) in.get(pastNames[0]).getInfo()).getShape();
            long[] logitsShape = ((TensorInfo) session.getOutputInfo().get("logits").getInfo()).getShape();
            if (pastShape[1] <= 0 || pastShape[3] <= 0 || logitsShape[2] <= 0) {
                throw new IllegalArgumentException(modelFile + ": heads, head size and vocabulary must be fixed in "
                        + "the graph for this baseline (past " + Arrays.toString(pastShape) + ", logits "
                        + Arrays.toString(logitsShape) + ")");
            }
            vocab = Math.toIntExact(logitsShape[2]);
            emptyPast = new OnnxTensor[pastNames.length];
            for (int i = 0; i < emptyPast.length; i++) {
                emptyPast[i] = OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                        new long[] {1, pastShape[1], 0, pastShape[3]});
            }
            stepLogits = directFloats(vocab);
            stepLogitsTensor = OnnxTensor.createTensor(env, stepLogits, new long[] {1, 1, vocab});
            lastOnly = in.containsKey("logits_to_keep") ? OnnxTensor.createTensor(env, 1L) : null;
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Generates exactly {@code count} tokens greedily after {@code prompt}.
     *
     * @return the chosen ids
     */
    int[] generate(int[] prompt, int count) throws OrtException {
        int[] out = new int[count];
        if (count == 0) {
            return out;
        }
        int total = prompt.length + count;
        if (ones.length < total) {
            ones = new long[total];
            Arrays.fill(ones, 1L);
        }
        long[] ids = new long[prompt.length];
        long[] positions = new long[prompt.length];
        for (int i = 0; i < prompt.length; i++) {
            ids[i] = prompt[i];
            positions[i] = i;
        }
        OrtSession.Result previous = null;
        try {
            // prefill: the whole prompt against an empty past
            long start = System.nanoTime();
            int kept = lastOnly != null ? 1 : prompt.length;
            if (prefillLogits.capacity() < kept * vocab) {
                prefillLogits = directFloats(kept * vocab);
            }
            FloatBuffer logitsView = prefillLogits.duplicate().position(0).limit(kept * vocab).slice();
            try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, prompt.length});
                    OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(ones, 0, prompt.length),
                            new long[] {1, prompt.length});
                    OnnxTensor pos = OnnxTensor.createTensor(env, LongBuffer.wrap(positions),
                            new long[] {1, prompt.length});
                    OnnxTensor logits = OnnxTensor.createTensor(env, logitsView,
                            new long[] {1, kept, vocab})) {
                inputs.clear();
                if (lastOnly != null) {
                    inputs.put("logits_to_keep", lastOnly);
                }
                inputs.put("input_ids", idsTensor);
                inputs.put("attention_mask", mask);
                inputs.put("position_ids", pos);
                for (int i = 0; i < pastNames.length; i++) {
                    inputs.put(pastNames[i], emptyPast[i]);
                }
                long runStart = System.nanoTime();
                previous = session.run(inputs, presentNames, Map.of("logits", logits));
                sessionNanos += System.nanoTime() - runStart;
            }
            int token = argmax(logitsView, (kept - 1) * vocab);
            prefillNanos += System.nanoTime() - start;
            out[0] = token;
            long[] one = new long[1];
            long[] position = new long[1];
            for (int t = 1; t < count; t++) {
                int length = prompt.length + t;
                one[0] = token;
                position[0] = length - 1;
                OrtSession.Result result;
                try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(one), new long[] {1, 1});
                        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(ones, 0, length),
                                new long[] {1, length});
                        OnnxTensor pos = OnnxTensor.createTensor(env, LongBuffer.wrap(position), new long[] {1, 1})) {
                    inputs.put("input_ids", idsTensor);
                    inputs.put("attention_mask", mask);
                    inputs.put("position_ids", pos);
                    for (int i = 0; i < pastNames.length; i++) {
                        inputs.put(pastNames[i], (OnnxTensor) previous.get(presentByPast[i]).orElseThrow());
                    }
                    long runStart = System.nanoTime();
                    result = session.run(inputs, presentNames, Map.of("logits", stepLogitsTensor));
                    sessionNanos += System.nanoTime() - runStart;
                }
                previous.close();
                previous = result;
                token = argmax(stepLogits, 0);
                out[t] = token;
            }
        } finally {
            inputs.clear();
            if (previous != null) {
                previous.close();
            }
        }
        return out;
    }

    /** Index of the largest of {@code vocab} logits from {@code offset}; ties go to the lowest id. */
    private int argmax(FloatBuffer logits, int offset) {
        int best = 0;
        float max = logits.get(offset);
        for (int i = 1; i < vocab; i++) {
            float v = logits.get(offset + i);
            if (v > max) {
                max = v;
                best = i;
            }
        }
        return best;
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Nanoseconds spent inside {@code session.run} since the last {@link #resetTimers()}. */
    long sessionNanos() {
        return sessionNanos;
    }

    /** Nanoseconds of prefills (session call and argmax) since the last {@link #resetTimers()}. */
    long prefillNanos() {
        return prefillNanos;
    }

    void resetTimers() {
        sessionNanos = 0;
        prefillNanos = 0;
    }

    int vocabSize() {
        return vocab;
    }

    @Override
    public void close() {
        stepLogitsTensor.close();
        if (lastOnly != null) {
            lastOnly.close();
        }
        for (OnnxTensor t : emptyPast) {
            t.close();
        }
        try {
            session.close();
        } catch (OrtException e) {
            // nothing more to do at shutdown
        }
    }
}
