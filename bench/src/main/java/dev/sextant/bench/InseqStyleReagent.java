package dev.sextant.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The baseline to beat: a straightforward port of inseq's ReAGent loop (DeltaProbImportanceScoreEvaluator
 * with the TopK stopping condition and a uniform token replacer) to Java, on a raw ONNX Runtime
 * session. As in inseq, every step runs two forward passes over all probes (the perturbation, then the
 * stopping check), probes that have stopped stay in the batch with their scores frozen, full logits
 * of every position come back as a Java array, and the loop ends when every probe has stopped or the
 * step limit is reached.
 *
 * <p>It draws its random numbers from the same per-probe streams as Sextant's attributor (seed, row,
 * probe, purpose, through SplitMix64), so the two can be compared run for run: any difference in
 * the scores comes from the schedule or from float rounding in differently shaped batches.
 *
 * <p>Not thread-safe; one instance per benchmark thread.
 */
final class InseqStyleReagent implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> pastNames = new ArrayList<>();
    private final long heads;
    private final long headSize;
    /** Whether the export has {@code logits_to_keep}: fed 0 (every position), as inseq's model call computes. */
    private final boolean hasLogitsToKeep;
    long forwardPasses;

    InseqStyleReagent(Path modelFile, int intraOpThreads) throws OrtException {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(modelFile.toString(), options);
        }
        Map<String, NodeInfo> in = session.getInputInfo();
        for (int i = 0; in.containsKey("past_key_values." + i + ".key"); i++) {
            pastNames.add("past_key_values." + i + ".key");
            pastNames.add("past_key_values." + i + ".value");
        }
        long[] shape = ((TensorInfo) in.get(pastNames.get(0)).getInfo()).getShape();
        heads = shape[1];
        headSize = shape[3];
        hasLogitsToKeep = in.containsKey("logits_to_keep");
    }

    /** Settings, as inseq names them. */
    record Settings(int numProbes, double replacingRatio, int rationalSize, int stoppingTopK, int maxProbeSteps) {
    }

    /**
     * Attributes {@code target} to {@code input}.
     *
     * @param candidates positions that may be replaced (not special tokens)
     * @param samplable ids the uniform sampler draws from
     * @return the mean softmax importance over converged probes (all probes if none converged), per position
     */
    double[] attribute(int[] input, int target, int[] candidates, int[] samplable, long seed, Settings s)
            throws OrtException {
        int n = s.numProbes();
        int length = input.length;
        SplittableRandom[] perturb = new SplittableRandom[n];
        SplittableRandom[] check = new SplittableRandom[n];
        double[][] logitScores = new double[n][candidates.length];
        for (int p = 0; p < n; p++) {
            perturb[p] = Streams.stream(seed, 0, p, 0);
            check[p] = Streams.stream(seed, 0, p, 1);
            for (int i = 0; i < candidates.length; i++) {
                logitScores[p][i] = perturb[p].nextDouble();
            }
        }
        int[][] same = new int[n][];
        Arrays.fill(same, input);
        double original = softmax(lastLogits(forward(new int[][] {input}))[0])[target];
        boolean[] stopped = new boolean[n];
        for (int step = 0; step < s.maxProbeSteps(); step++) {
            // update: replace a random share of every probe's tokens and score all probes
            int[][] replaced = new int[n][];
            boolean[][] masks = new boolean[n][length];
            for (int p = 0; p < n; p++) {
                for (int c : candidates) {
                    masks[p][c] = perturb[p].nextDouble() < s.replacingRatio();
                }
                replaced[p] = input.clone();
                for (int c = 0; c < length; c++) {
                    if (masks[p][c]) {
                        replaced[p][c] = samplable[perturb[p].nextInt(samplable.length)];
                    }
                }
            }
            float[][] updateLogits = lastLogits(forward(replaced));
            for (int p = 0; p < n; p++) {
                if (stopped[p]) {
                    continue;
                }
                double delta = original - softmax(updateLogits[p])[target];
                for (int i = 0; i < candidates.length; i++) {
                    double d = masks[p][candidates[i]] ? delta : -delta;
                    double q = Math.min(1 - 1e-7, Math.max(1e-7, 0.5 * d + 0.5));
                    logitScores[p][i] += Math.log(q / (1 - q));
                }
            }
            // stopping check: keep each probe's top tokens, replace the rest, is the target in the top k?
            int[][] kept = new int[n][];
            for (int p = 0; p < n; p++) {
                kept[p] = input.clone();
                boolean[] keep = new boolean[length];
                for (int i : top(logitScores[p], s.rationalSize())) {
                    keep[candidates[i]] = true;
                }
                for (int c : candidates) {
                    if (!keep[c]) {
                        kept[p][c] = -1;
                    }
                }
                for (int c = 0; c < length; c++) {
                    if (kept[p][c] == -1) {
                        kept[p][c] = samplable[check[p].nextInt(samplable.length)];
                    }
                }
            }
            float[][] checkLogits = lastLogits(forward(kept));
            boolean all = true;
            for (int p = 0; p < n; p++) {
                stopped[p] |= inTopK(checkLogits[p], target, s.stoppingTopK());
                all &= stopped[p];
            }
            if (all) {
                break;
            }
        }
        double[] mean = new double[length];
        int used = 0;
        boolean any = false;
        for (boolean b : stopped) {
            any |= b;
        }
        for (int p = 0; p < n; p++) {
            if (stopped[p] || !any) {
                used++;
                double[] importance = softmax(logitScores[p]);
                for (int i = 0; i < candidates.length; i++) {
                    mean[candidates[i]] += importance[i];
                }
            }
        }
        for (int c = 0; c < length; c++) {
            mean[c] /= used;
        }
        return mean;
    }

    /** Full logits {@code [rows][positions][vocab]}, as a Python caller would get them. */
    private float[][][] forward(int[][] rows) throws OrtException {
        forwardPasses++;
        int b = rows.length;
        int t = rows[0].length;
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] positions = new long[b * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = rows[r][i];
                mask[r * t + i] = 1;
                positions[r * t + i] = i;
            }
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {b, t}));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {b, t}));
            inputs.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {b, t}));
            if (hasLogitsToKeep) {
                inputs.put("logits_to_keep", OnnxTensor.createTensor(env, 0L));
            }
            for (String name : pastNames) {
                inputs.put(name, OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {b, heads, 0, headSize}));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return (float[][][]) result.get("logits").orElseThrow().getValue();
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[][] lastLogits(float[][][] logits) {
        float[][] out = new float[logits.length][];
        for (int r = 0; r < logits.length; r++) {
            out[r] = logits[r][logits[r].length - 1];
        }
        return out;
    }

    private static double[] softmax(float[] logits) {
        double[] values = new double[logits.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = logits[i];
        }
        return softmax(values);
    }

    private static double[] softmax(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double[] out = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.exp(values[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < values.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    private static boolean inTopK(float[] logits, int target, int k) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        for (int i = 0; i < k; i++) {
            if (order[i] == target) {
                return true;
            }
        }
        return false;
    }

    /** Indices of the n largest scores; ties go to the earlier index (a stable descending sort). */
    private static int[] top(double[] scores, int n) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        return Arrays.stream(order).limit(n).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    /** The random streams of Sextant's attributor: SplitMix64 over (seed, row, probe, purpose). */
    static final class Streams {

        private Streams() {
        }

        static SplittableRandom stream(long seed, long... parts) {
            long h = mix(seed);
            for (long part : parts) {
                h = mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
            }
            return new SplittableRandom(h);
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
