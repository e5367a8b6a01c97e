package dev.sextant.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.sextant.host.SextantEngine;
import dev.sextant.host.config.PipelineSpec;
import dev.sextant.host.pipeline.GenerateConfig;
import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.pipeline.RunContext;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.StepDecoder;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.Tokenizer;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code greedy-loop}: greedy tokens per second through Sextant (plugins loaded by PF4J, a pipeline
 * file, {@link PipelineSet#run}) against {@link RawGreedyLoop} on the same model, prompt and number
 * of tokens, batch 1. Two more rows split Sextant's path into layers so a gap can be located: the
 * model plugin alone through the SPI's {@link DecodingState} (argmax in the harness) and the decoder
 * alone ({@link Decoder#generate}). The headline ratio is pipeline / raw.
 */
final class GreedyLoopBench {

    static final String NAME = "greedy-loop";

    /**
     * Prompts tried in order when none is given: the first on which Sextant makes at least
     * {@link #FEW_TOKENS} tokens is used (else the one that runs longest), so that the benchmark
     * measures the loop rather than the prefill whatever the model has learnt to stop on. The first
     * is the instruction of {@code models/eval/json.jsonl} item json-0000.
     */
    static final List<String> DEFAULT_PROMPTS = List.of(
            "sathja loves the colour red . the age of sathja is 46 . sathja lives in the city of nairobi . write the "
                    + "record of sathja as json with keys name , city , colour , age . json :",
            "the job of nisshu is carpenter . nisshu is from oslo . the age of nisshu is 9 . nisshu keeps a fish at "
                    + "home . write the record of nisshu as json with keys name , city , job , age , pet . json :",
            "context : jiannur has a large silver bag . tialstial lives in the city of oslo .",
            "one sunny morning , mia went to the market near the old bridge .");

    /** Fewer tokens than this and the loop's per-token figures are dominated by prefill. */
    static final int FEW_TOKENS = 64;

    private final BenchOptions options;
    private final PrintStream out;

    GreedyLoopBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** One way of generating the same tokens. */
    private interface TokenSource {
        int[] run() throws Exception;
    }

    /** One path's measurements, one entry per measured round. */
    private record Row(String label, TokenSource path, double[] wallNanos, double[] cpuNanos, double[] allocated) {
        Row(String label, TokenSource path, int runs) {
            this(label, path, new double[runs], new double[runs], new double[runs]);
        }

        Stats tokensPerSecond(int tokens) {
            double[] tps = new double[wallNanos.length];
            for (int i = 0; i < tps.length; i++) {
                tps[i] = tokens / (wallNanos[i] / 1e9);
            }
            return new Stats(tps);
        }

        double medianMsPerToken(int tokens) {
            return new Stats(wallNanos).median() / 1e6 / tokens;
        }
    }

    /** @return true if every path made the same tokens */
    boolean run() throws Exception {
        return run(options.pipelines(NAME), options.warmup(), options.rounds(),
                options.prompt() != null ? List.of(options.prompt()) : DEFAULT_PROMPTS);
    }

    /** The headline ratio (pipeline / raw tokens per second) of the last run, NaN before one. */
    double ratio() {
        return lastRatio;
    }

    /** The CPU-time ratio of the last run, NaN before one. */
    double cpuRatio() {
        return lastCpuRatio;
    }

    private double lastRatio = Double.NaN;
    private double lastCpuRatio = Double.NaN;
    private int warmup;
    private int rounds;

    /**
     * Runs the comparison on pipeline {@code greedy-loop} of {@code pipelineFile}, trying {@code prompts}
     * in order for the longest generation.
     *
     * @return true if every path made the same tokens
     */
    boolean run(Path pipelineFile, int warmupRuns, int measuredRounds, List<String> prompts) throws Exception {
        this.warmup = warmupRuns;
        this.rounds = measuredRounds;
        String pipelineName = NAME;
        Path pluginsDir = options.pluginsDir();
        if (!Files.isDirectory(pluginsDir)) {
            throw new IllegalStateException("no plugins folder " + pluginsDir + ": build first (./mvnw -DskipTests package)");
        }
        try (SextantEngine engine = SextantEngine.start(pluginsDir, Map.of());
                PipelineSet set = engine.load(pipelineFile)) {
            if (!set.pipelines().containsKey(pipelineName)) {
                throw new IllegalStateException("pipeline '" + pipelineName + "' of " + pipelineFile + " cannot run: "
                        + set.pipelineFailures().getOrDefault(pipelineName, "not declared"));
            }
            PipelineSpec spec = set.file().pipelines().get(pipelineName);
            if (spec.steps().size() != 1 || !(spec.steps().get(0).config() instanceof GenerateConfig generate)) {
                throw new IllegalStateException("pipeline '" + pipelineName + "' must be one generate step");
            }
            if (!generate.stop().isEmpty() || !generate.processors().isEmpty() || !generate.prefix().isEmpty()
                    || !generate.suffix().isEmpty()) {
                throw new IllegalStateException("pipeline '" + pipelineName + "' must have no stop strings, processors, "
                        + "prefix or suffix: the raw loop it is compared with has none");
            }
            LanguageModel model = (LanguageModel) set.component(generate.model());
            Decoder decoder = (Decoder) set.component(generate.decoder());
            Map<String, String> provenance = model.info().provenance();
            int threads = Integer.parseInt(provenance.getOrDefault("intra-op-threads", "1"));
            String folder = provenance.get("path");
            if (folder == null) {
                throw new IllegalStateException("model '" + generate.model() + "' does not say its folder (provenance "
                        + "key 'path'), so the raw loop cannot open the same file");
            }
            Path modelFile = Path.of(folder).resolve("model.onnx");
            if (!Files.isRegularFile(modelFile)) {
                throw new IllegalStateException("the raw loop needs a single-file export, " + modelFile + " is missing");
            }
            // What Sextant makes decides the work: the raw loop is asked for exactly as many tokens.
            String prompt = null;
            PipelineResult first = null;
            for (String candidate : prompts) {
                PipelineResult result = set.run(pipelineName, candidate, TokenListener.NONE, RunLimits.DEFAULT);
                if (first == null || pipelineTokens(result).length > pipelineTokens(first).length) {
                    prompt = candidate;
                    first = result;
                }
                if (pipelineTokens(first).length >= FEW_TOKENS) {
                    break;
                }
            }
            int[] promptIds = model.tokenizer().encode(prompt, true).ids();
            int[] expected = pipelineTokens(first);
            @SuppressWarnings("unchecked")
            String finish = String.valueOf(((Map<String, Object>) first.slots().get(RunContext.GENERATION))
                    .get("finish_reason"));
            int n = expected.length;
            if (n == 0) {
                throw new IllegalStateException("Sextant generated no tokens for the prompt; choose another (--prompt)");
            }
            String finalPrompt = prompt;
            // as the pipeline's generate step asks by default: no token log-probabilities
            GenerationRequest request = new GenerationRequest(List.of(finalPrompt), generate.maxNewTokens(), List.of(),
                    List.of(), null, RunLimits.DEFAULT, generate.logprobs());

            try (RawGreedyLoop raw = new RawGreedyLoop(modelFile, threads);
                    RawGreedyLoop control = new RawGreedyLoop(modelFile, threads)) {
                Row rawRow = new Row("raw ONNX Runtime loop", () -> raw.generate(promptIds, n), rounds);
                // The same loop on a second session: how far apart two identical paths land (A/A).
                Row controlRow = new Row("raw loop, 2nd session (A/A)", () -> control.generate(promptIds, n), rounds);
                Row stateRow = new Row("sextant model (DecodingState)", () -> stateLoop(model, promptIds, n), rounds);
                Row decoderRow = new Row("sextant decoder.generate",
                        () -> decoder.generate(model, request, TokenListener.NONE).sequences().get(0).tokenIds(), rounds);
                Row pipelineRow = new Row("sextant pipeline run", () -> pipelineTokens(
                        set.run(pipelineName, finalPrompt, TokenListener.NONE, RunLimits.DEFAULT)), rounds);
                List<Row> rows = List.of(rawRow, controlRow, stateRow, decoderRow, pipelineRow);

                boolean agree = true;
                List<String> disagreements = new ArrayList<>();
                for (Row row : rows) {
                    int[] tokens = row.path().run();
                    if (!Arrays.equals(tokens, expected)) {
                        agree = false;
                        disagreements.add(row.label() + ": " + firstDifference(expected, tokens));
                    }
                }
                for (int i = 0; i < warmup; i++) {
                    for (Row row : rows) {
                        row.path().run();
                    }
                }

                ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
                com.sun.management.ThreadMXBean allocations = threadBean instanceof com.sun.management.ThreadMXBean t
                        && t.isThreadAllocatedMemorySupported() ? t : null;
                long self = Thread.currentThread().getId();
                raw.resetTimers();
                for (int round = 0; round < rounds; round++) {
                    // alternate the order so that drift and GC debt do not favour one path
                    List<Row> order = new ArrayList<>(rows);
                    if (round % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (Row row : order) {
                        long allocatedBefore = allocations == null ? 0 : allocations.getThreadAllocatedBytes(self);
                        long cpuBefore = threadBean.getCurrentThreadCpuTime();
                        long start = System.nanoTime();
                        int[] tokens = row.path().run();
                        long nanos = System.nanoTime() - start;
                        row.cpuNanos()[round] = threadBean.getCurrentThreadCpuTime() - cpuBefore;
                        row.wallNanos()[round] = nanos;
                        row.allocated()[round] = allocations == null ? Double.NaN
                                : allocations.getThreadAllocatedBytes(self) - allocatedBefore;
                        if (!Arrays.equals(tokens, expected)) {
                            agree = false;
                            disagreements.add(row.label() + " (round " + round + "): "
                                    + firstDifference(expected, tokens));
                        }
                    }
                }
                double rawWall = 0;
                for (double v : rawRow.wallNanos()) {
                    rawWall += v;
                }
                report(new Rows(rawRow, controlRow, stateRow, decoderRow, pipelineRow), model, threads, prompt, promptIds.length, n, finish, first.output(), agree, disagreements,
                        raw.sessionNanos() / rawWall, raw.prefillNanos() / 1e6 / rounds,
                        redecodeMillis(model.tokenizer(), expected), logSumExpMillis(model, promptIds));
                return agree;
            }
        }
    }

    /** Sextant's model plugin through the SPI, with the harness choosing tokens: no decoder, no pipeline. */
    private static int[] stateLoop(LanguageModel model, int[] prompt, int n) throws SextantException {
        int[] out = new int[n];
        try (DecodingState state = model.start(List.of(prompt), RunLimits.DEFAULT)) {
            int[] next = new int[1];
            for (int t = 0; t < n; t++) {
                float[] logits = state.logits(0);
                int best = 0;
                for (int i = 1; i < logits.length; i++) {
                    if (logits[i] > logits[best]) {
                        best = i;
                    }
                }
                out[t] = best;
                if (t + 1 < n) {
                    next[0] = best;
                    state.append(next);
                }
            }
        }
        return out;
    }

    /**
     * Median time to decode every prefix of the generated ids, as a streamer that re-decodes the
     * whole row at each token would: a figure to compare with the decoder's overhead.
     */
    private static double redecodeMillis(Tokenizer tokenizer, int[] ids) {
        double[] runs = new double[7];
        for (int r = -3; r < runs.length; r++) {
            long start = System.nanoTime();
            for (int k = 1; k <= ids.length; k++) {
                tokenizer.decode(Arrays.copyOf(ids, k), true);
            }
            if (r >= 0) {
                runs[r] = (System.nanoTime() - start) / 1e6;
            }
        }
        return new Stats(runs).median();
    }

    /** Median time of one {@link StepDecoder#logSumExp} over a real logits row (the log-softmax normaliser). */
    private static double logSumExpMillis(LanguageModel model, int[] prompt) throws SextantException {
        float[] logits;
        try (DecodingState state = model.start(List.of(prompt), RunLimits.DEFAULT)) {
            logits = state.logits(0);
        }
        double[] runs = new double[7];
        float sink = 0;
        for (int r = -5; r < runs.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                sink += StepDecoder.logSumExp(logits);
            }
            if (r >= 0) {
                runs[r] = (System.nanoTime() - start) / 1e6 / 1000;
            }
        }
        if (Float.isNaN(sink)) {
            throw new IllegalStateException("the model's logits are NaN");
        }
        return new Stats(runs).median();
    }

    @SuppressWarnings("unchecked")
    private static int[] pipelineTokens(PipelineResult result) {
        Map<String, Object> generation = (Map<String, Object>) result.slots().get(RunContext.GENERATION);
        return (int[]) generation.get("token_ids");
    }

    private static String abbreviate(String text) {
        String oneLine = String.valueOf(text).replace("\n", "\\n");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }

    private static String firstDifference(int[] expected, int[] actual) {
        int i = Arrays.mismatch(expected, actual);
        if (i < 0) {
            return "same";
        }
        return "differs at token " + i + " (expected " + (i < expected.length ? expected[i] : "end") + ", got "
                + (i < actual.length ? actual[i] : "end") + "; " + actual.length + " tokens)";
    }

    private record Rows(Row raw, Row control, Row state, Row decoder, Row pipeline) {
        List<Row> all() {
            return List.of(raw, control, state, decoder, pipeline);
        }
    }

    private void report(Rows rows, LanguageModel model, int threads, String prompt, int promptTokens, int n,
            String finish, String text, boolean agree, List<String> disagreements, double rawSessionShare, double rawPrefillMs,
            double redecodeMs, double logSumExpMs) {
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        String modelName = model.info().name();
        String ort;
        try {
            ort = OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException e) {
            ort = "?";
        }
        out.println();
        out.printf(Locale.ROOT, "== %s: greedy decoding, batch 1, model %s%n", NAME, modelName);
        out.printf(Locale.ROOT, "prompt %d tokens, %d new tokens per run (Sextant stopped by %s)%n", promptTokens, n,
                finish);
        out.println("prompt:    " + abbreviate(prompt));
        out.println("generated: " + abbreviate(text));
        if (n < FEW_TOKENS) {
            out.println("WARNING: only " + n + " tokens per run, so prefill weighs heavily; choose a prompt the model "
                    + "continues for longer (--prompt)");
        }
        out.printf(Locale.ROOT, "java %s (%s, %s), onnxruntime %s, intra-op threads %d, %d cpus, %s %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), gcs, ort, threads,
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"));
        out.printf(Locale.ROOT, "warm-up %d runs of each path, then %d rounds, paths interleaved (order alternating); "
                + "load average at the end %.2f%n", warmup, rounds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println();
        out.printf(Locale.ROOT, "%-30s %9s %9s %9s %9s %9s %9s %7s%n", "path (median of rounds)", "tok/s", "p10",
                "p90", "ms/tok", "cpu ms/t", "KB/tok", "vs raw");
        Row rawRow = rows.raw();
        Row pipelineRow = rows.pipeline();
        double rawMedian = rawRow.tokensPerSecond(n).median();
        for (Row row : rows.all()) {
            Stats tps = row.tokensPerSecond(n);
            out.printf(Locale.ROOT, "%-30s %9.1f %9.1f %9.1f %9.4f %9.4f %9.2f %7.3f%n", row.label(), tps.median(),
                    tps.percentile(10), tps.percentile(90), row.medianMsPerToken(n),
                    new Stats(row.cpuNanos()).median() / 1e6 / n, new Stats(row.allocated()).median() / 1024 / n,
                    tps.median() / rawMedian);
        }
        double[] paired = new double[rawRow.wallNanos().length];
        for (int i = 0; i < paired.length; i++) {
            paired[i] = rawRow.wallNanos()[i] / pipelineRow.wallNanos()[i];
        }
        Stats pairedStats = new Stats(paired);
        double sextantMedian = pipelineRow.tokensPerSecond(n).median();
        double ratio = sextantMedian / rawMedian;
        out.printf(Locale.ROOT, "pipeline/raw per round (same round, so shared noise cancels): median %.3f, "
                + "p10 %.3f, p90 %.3f%n", pairedStats.median(), pairedStats.percentile(10), pairedStats.percentile(90));
        double cpuRatio = new Stats(rawRow.cpuNanos()).median() / new Stats(pipelineRow.cpuNanos()).median();
        lastRatio = ratio;
        lastCpuRatio = cpuRatio;
        out.printf(Locale.ROOT, "pipeline/raw in CPU time of the benchmark thread (ONNX Runtime computes on it with one "
                + "intra-op thread): %.3f%n", cpuRatio);
        double aaRatio = rows.control().tokensPerSecond(n).median() / rawMedian;
        double aaCpuRatio = new Stats(rawRow.cpuNanos()).median() / new Stats(rows.control().cpuNanos()).median();
        out.printf(Locale.ROOT, "A/A control, the same raw loop on a second session: %.3f (CPU time %.3f); differences "
                + "of this size between sessions are noise, not overhead%n", aaRatio, aaCpuRatio);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (pairedStats.percentile(90) - pairedStats.percentile(10) > 0.2 * pairedStats.median()
                || load > Runtime.getRuntime().availableProcessors()) {
            out.printf(Locale.ROOT, "NOTE: the machine was busy (load average %.2f on %d cpus; per-round ratios spread "
                    + "%.3f-%.3f): trust the CPU-time ratio more, or rerun on a quiet machine%n", load,
                    Runtime.getRuntime().availableProcessors(), pairedStats.percentile(10),
                    pairedStats.percentile(90));
        }
        out.println();
        out.println("tokens agree: " + (agree ? "yes" : "NO") + " (both raw loops, model, decoder and pipeline; " + n
                + " tokens each, compared on every run)");
        for (String d : disagreements.subList(0, Math.min(5, disagreements.size()))) {
            out.println("  " + d);
        }
        double raw = rawRow.medianMsPerToken(n);
        double control = rows.control().medianMsPerToken(n);
        double state = rows.state().medianMsPerToken(n);
        double decoder = rows.decoder().medianMsPerToken(n);
        double pipeline = pipelineRow.medianMsPerToken(n);
        out.println();
        out.println("where the time goes (median wall ms per generated token, each layer vs the one below):"
                + (ratio < 0.9 ? "   <-- ratio below 0.9" : ""));
        out.printf(Locale.ROOT, "  raw loop         %8.4f  session.run is %.1f%% of it; prefill %.2f ms per run%n",
                raw, 100 * rawSessionShare, rawPrefillMs);
        out.printf(Locale.ROOT, "  + model plugin   %+8.4f  DecodingState vs raw: inputs, masks, logits copies, "
                + "cache bookkeeping (another session: +-%.4f is the A/A noise)%n", state - raw, Math.abs(control - raw));
        out.printf(Locale.ROOT, "  + decoder        %+8.4f  decoder.generate vs DecodingState: scores, log-probs, "
                + "text streaming, stop checks%n", decoder - state);
        out.printf(Locale.ROOT, "  + pipeline       %+8.4f  pipeline run vs decoder.generate: tokenizing, run "
                + "context, result%n", pipeline - decoder);
        out.println("  for scale, per token:");
        out.printf(Locale.ROOT, "    %.4f ms  decoding the whole row again (what a re-decoding text streamer does; grows "
                + "with the row)%n", redecodeMs / n);
        out.printf(Locale.ROOT, "    %.4f ms  one StepDecoder.logSumExp over %d logits (the normaliser of a "
                + "log-probability)%n", logSumExpMs, model.info().vocabSize());
        out.println();
        out.printf(Locale.ROOT, "RESULT %s ratio=%.3f paired_ratio=%.3f cpu_ratio=%.3f aa_ratio=%.3f sextant_tps=%.1f "
                        + "raw_tps=%.1f tokens=%d prompt_tokens=%d threads=%d model=%s rounds=%d agree=%s%n",
                NAME, ratio, pairedStats.median(), cpuRatio, aaRatio, sextantMedian, rawMedian, n, promptTokens, threads, modelName,
                rounds, agree);
    }
}
