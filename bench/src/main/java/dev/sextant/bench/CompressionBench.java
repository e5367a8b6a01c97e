package dev.sextant.bench;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.cli.Views;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.SelectionRequest;
import dev.sextant.spi.compress.Selector;
import dev.sextant.spi.decode.TokenListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prompt compression and data selection, one intra-op thread (bench/pipelines/compression.yaml).
 * (1) Where {@code llmlingua2}'s time goes: the share inside the token classifier's forward pass, and
 * tokens compressed per second, over the contexts of the compression set. (2) End to end: compress
 * then answer against answering the uncompressed prompt, same contexts. (3) ZIP-FIT: documents
 * scored per second against 100 targets, gzip and zstd, one thread and all.
 */
final class CompressionBench {

    static final String NAME = "compression";
    static final double RATE = 0.5;
    /** Contexts timed; {@code -Dcompression.contexts=N} (in BENCH_JAVA_OPTS) changes it. */
    static final int CONTEXTS = Integer.getInteger("compression.contexts", 100);
    static final int TARGETS = 100;
    /** Candidates ZIP-FIT scores; {@code -Dcompression.documents=N} changes it. */
    static final int DOCUMENTS = Integer.getInteger("compression.documents", 2000);

    private final BenchOptions options;
    private final PrintStream out;

    CompressionBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    boolean run() throws Exception {
        Path pipelineFile = options.pipelines(NAME);
        Path eval = options.root().resolve("models/eval");
        List<String[]> items = new ArrayList<>();
        for (String line : Files.readAllLines(eval.resolve("compression.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                var node = Views.mapper().readTree(line);
                items.add(new String[] {node.get("context").asString(), node.get("question").asString()});
            }
        }
        try (SextantEngine engine = SextantEngine.start(options.pluginsDir(), Map.of());
                PipelineSet set = engine.load(pipelineFile)) {
            if (!set.pipelineFailures().isEmpty() || !(set.component("llmlingua2") instanceof Compressor lingua)) {
                throw new IllegalStateException(pipelineFile + " must declare llmlingua2 and pipelines that can run: "
                        + set.componentFailures() + " " + set.pipelineFailures());
            }
            List<String[]> timed = items.subList(0, Math.min(CONTEXTS, items.size()));
            List<String[]> joined = joined(timed, JOINED);
            List<String[]> profile = new ArrayList<>();
            profile.add(new String[] {"input", "ms/input", "tokens/input", "forward share", "tokens/s"});
            Profile short_ = profile(lingua, timed, options.warmup(), options.rounds());
            profile.add(short_.row("one context (" + timed.size() + ")"));
            Profile long_ = profile(lingua, joined, options.warmup(), options.rounds());
            profile.add(long_.row(JOINED + " contexts joined (" + joined.size() + ")"));
            out.printf(Locale.ROOT, "llmlingua2 on models/story-tagger, rate %.1f, one thread; medians of %d passes after %d"
                    + " warm-up passes; forward share = time inside the classifier call (ids to probabilities, no"
                    + " tokenizing) / whole compress call:%n", RATE, options.rounds(), options.warmup());
            out.print(Views.table(profile));
            Profile base = baseSized(engine, timed);
            double share = short_.share();
            double tokensPerSecond = short_.tokensPerSecond();
            double total = short_.msPerInput() * timed.size();

            // End to end: answering uncompressed vs compressing then answering, every path once per
            // context in rotating order, after warm-up passes.
            List<String> paths = List.of("answer", "compressed-answer", "compressed-answer-bm25",
                    "compressed-answer-minilm");
            List<String> labels = List.of("answer (uncompressed)", "llmlingua2 + answer",
                    "llmlingua2, relevance bm25 + answer", "llmlingua2, relevance encoder (MiniLM) + answer");
            int passes = Math.max(1, options.warmup() / 10);
            for (int pass = 0; pass < passes; pass++) {
                for (String[] item : timed) {
                    for (String path : paths) {
                        run(set, path, item);
                    }
                }
            }
            double[][] e2e = new double[paths.size()][timed.size()];
            for (int i = 0; i < timed.size(); i++) {
                for (int k = 0; k < paths.size(); k++) {
                    int p = (i + k) % paths.size();
                    e2e[p][i] = run(set, paths.get(p), timed.get(i));
                }
            }
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"path (rate 0.5, story-lm answers greedily)", "median ms", "p10 ms", "p90 ms"});
            Stats[] stats = new Stats[paths.size()];
            for (int k = 0; k < paths.size(); k++) {
                stats[k] = new Stats(e2e[k]);
                table.add(row(labels.get(k), stats[k]));
            }
            out.print(Views.table(table));
            Stats plainStats = stats[0];
            Stats compressedStats = stats[1];

            // ZIP-FIT
            List<String> documents = documents(eval);
            List<String> targets = documents.subList(0, Math.min(TARGETS, documents.size()));
            List<String> candidates = new ArrayList<>();
            for (int i = 0; candidates.size() < DOCUMENTS; i++) {
                candidates.add(documents.get((TARGETS + i) % documents.size()));
            }
            List<String[]> zip = new ArrayList<>();
            zip.add(new String[] {"selector", "documents/s"});
            double gzipOne = 0;
            double gzipAll = 0;
            for (String name : List.of("zipfit-gzip-1", "zipfit-gzip", "zipfit-zstd-1", "zipfit-zstd")) {
                if (!(set.component(name) instanceof Selector selector)) {
                    throw new IllegalStateException(pipelineFile + " must declare the selector " + name);
                }
                selector.select(new SelectionRequest(targets, candidates.subList(0, 100), 10, null,
                        RunLimits.DEFAULT));
                long start = System.nanoTime();
                selector.select(new SelectionRequest(targets, candidates, 10, null, RunLimits.DEFAULT));
                double rate = candidates.size() / ((System.nanoTime() - start) / 1e9);
                zip.add(new String[] {name, String.format(Locale.ROOT, "%.0f", rate)});
                if (name.equals("zipfit-gzip-1")) {
                    gzipOne = rate;
                } else if (name.equals("zipfit-gzip")) {
                    gzipAll = rate;
                }
            }
            out.printf(Locale.ROOT, "ZIP-FIT: %d documents scored against %d targets (texts of models/eval/*.jsonl):%n",
                    candidates.size(), targets.size());
            out.print(Views.table(zip));
            String baseFigures = base == null ? "" : String.format(Locale.ROOT,
                    " forward_share_bert_base=%.3f tokens_per_s_bert_base=%.0f", base.share(), base.tokensPerSecond());
            out.printf(Locale.ROOT, "RESULT compression forward_share=%.3f tokens_per_s=%.0f ms_per_context=%.2f"
                    + " forward_share_long=%.3f tokens_per_s_long=%.0f answer_ms=%.2f compress_answer_ms=%.2f"
                    + " e2e_ratio=%.3f e2e_ratio_bm25=%.3f e2e_ratio_minilm=%.3f zipfit_docs_per_s=%.0f"
                    + " zipfit_docs_per_s_all_threads=%.0f%s%n", share, tokensPerSecond, total / timed.size(),
                    long_.share(), long_.tokensPerSecond(), plainStats.median(), compressedStats.median(),
                    compressedStats.median() / plainStats.median(), stats[2].median() / plainStats.median(),
                    stats[3].median() / plainStats.median(), gzipOne, gzipAll, baseFigures);
        }
        return true;
    }

    /** Where tools/forge/build_tagger_base.sh writes the BERT-base-sized tagger; {@code -Dcompression.base-tagger} moves it. */
    static final String BASE_TAGGER = System.getProperty("compression.base-tagger", "bench/target/models/tagger-base");
    /** Contexts the BERT-base-sized tagger compresses per pass (its forward pass is about 100x story-tagger's). */
    static final int BASE_CONTEXTS = 20;

    /**
     * llmlingua2 on the BERT-base-sized tagger with random weights (LLMLingua-2's model size), if
     * tools/forge/build_tagger_base.sh has written it: the same profile, fewer inputs and passes.
     */
    private Profile baseSized(SextantEngine engine, List<String[]> timed) throws Exception {
        Path folder = options.root().resolve(BASE_TAGGER);
        if (!Files.isRegularFile(folder.resolve("model.onnx"))) {
            out.println("(no BERT-base-sized tagger at " + BASE_TAGGER + ": tools/forge/build_tagger_base.sh writes one"
                    + " to profile llmlingua2 at LLMLingua-2's model size)");
            return null;
        }
        Path file = Files.createTempFile("sextant-bench-tagger-base", ".yaml");
        try {
            Files.writeString(file, """
                    components:
                      tagger-base: {type: onnx-token-classifier, path: "%s", intra-op-threads: 1, inter-op-threads: 1}
                      llmlingua2-base: {type: llmlingua2, model: tagger-base}
                    pipelines:
                      compress-base:
                        steps:
                          - compress: {compressor: llmlingua2-base, rate: 0.5}
                    """.formatted(folder.toAbsolutePath().toString().replace("\\", "/")), StandardCharsets.UTF_8);
            try (PipelineSet set = engine.load(file)) {
                if (!(set.component("llmlingua2-base") instanceof Compressor lingua)) {
                    throw new IllegalStateException(folder + " did not load as a token classifier: "
                            + set.componentFailures());
                }
                List<String[]> contexts = timed.subList(0, Math.min(BASE_CONTEXTS, timed.size()));
                List<String[]> joined = joined(timed, JOINED).subList(0, 2);
                Profile one = profile(lingua, contexts, 2, 3);
                Profile many = profile(lingua, joined, 1, 3);
                List<String[]> table = new ArrayList<>();
                table.add(new String[] {"input", "ms/input", "tokens/input", "forward share", "tokens/s"});
                table.add(one.row("one context (" + contexts.size() + ")"));
                table.add(many.row(JOINED + " contexts joined (" + joined.size() + ")"));
                out.println("llmlingua2 on a BERT-base-sized tagger (12 layers, hidden 768; random weights; "
                        + BASE_TAGGER + "), one thread; medians of 3 passes:");
                out.print(Views.table(table));
                return one;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Contexts joined into one long input for the second profile row. */
    static final int JOINED = 8;

    /** Medians over measured passes of one compressor over a list of inputs. */
    record Profile(double msPerInput, double tokensPerInput, double share, double tokensPerSecond) {
        String[] row(String input) {
            return new String[] {input, String.format(Locale.ROOT, "%.2f", msPerInput),
                    String.format(Locale.ROOT, "%.0f", tokensPerInput), String.format(Locale.ROOT, "%.3f", share),
                    String.format(Locale.ROOT, "%.0f", tokensPerSecond)};
        }
    }

    /**
     * Compresses every input once per pass: {@code warmup} passes unmeasured (so the JIT has compiled the
     * post-processing, not only the first calls), then {@code rounds} measured; per pass the forward share
     * (summed forward_ms / summed total_ms from the results' info) and the tokens per wall second.
     */
    static Profile profile(Compressor lingua, List<String[]> inputs, int warmup, int rounds) throws Exception {
        for (int pass = 0; pass < warmup; pass++) {
            for (String[] item : inputs) {
                lingua.compress(new CompressionRequest(item[0], item[1], Budget.rate(RATE), RunLimits.DEFAULT));
            }
        }
        double[] share = new double[rounds];
        double[] ms = new double[rounds];
        double[] rate = new double[rounds];
        long tokens = 0;
        for (int pass = 0; pass < rounds; pass++) {
            double forward = 0;
            double total = 0;
            tokens = 0;
            long wall = System.nanoTime();
            for (String[] item : inputs) {
                Compression c = lingua.compress(new CompressionRequest(item[0], item[1], Budget.rate(RATE),
                        RunLimits.DEFAULT));
                forward += number(c.info().get("forward_ms"));
                total += number(c.info().get("total_ms"));
                tokens += c.originalTokens();
            }
            double seconds = (System.nanoTime() - wall) / 1e9;
            share[pass] = forward / total;
            ms[pass] = total / inputs.size();
            rate[pass] = tokens / seconds;
        }
        return new Profile(new Stats(ms).median(), tokens / (double) inputs.size(), new Stats(share).median(),
                new Stats(rate).median());
    }

    /** Consecutive groups of {@code n} contexts joined by a space (questions dropped: llmlingua2 ignores them). */
    static List<String[]> joined(List<String[]> items, int n) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i + n <= items.size(); i += n) {
            StringBuilder text = new StringBuilder();
            for (int k = i; k < i + n; k++) {
                text.append(k > i ? " " : "").append(items.get(k)[0]);
            }
            out.add(new String[] {text.toString(), null});
        }
        return out;
    }

    private static double number(Object value) {
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("llmlingua2's info must hold forward_ms and total_ms, got " + value);
        }
        return n.doubleValue();
    }

    private static double run(PipelineSet set, String pipeline, String[] item) throws Exception {
        String prompt = "context : " + item[0] + " question : " + item[1] + " answer :";
        long start = System.nanoTime();
        set.run(pipeline, prompt, TokenListener.NONE, RunLimits.DEFAULT);
        return (System.nanoTime() - start) / 1e6;
    }

    private static String[] row(String name, Stats stats) {
        return new String[] {name, String.format(Locale.ROOT, "%.2f", stats.median()),
                String.format(Locale.ROOT, "%.2f", stats.percentile(10)),
                String.format(Locale.ROOT, "%.2f", stats.percentile(90))};
    }

    /** The prompts of every evaluation set, interleaved by set so any prefix mixes kinds. */
    static List<String> documents(Path eval) throws Exception {
        List<List<String>> sets = new ArrayList<>();
        for (String file : List.of("facts", "recall", "compression", "copyedit", "json", "extract", "labels")) {
            List<String> prompts = new ArrayList<>();
            for (String line : Files.readAllLines(eval.resolve(file + ".jsonl"), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    prompts.add(Views.mapper().readTree(line).get("prompt").asString());
                }
            }
            sets.add(prompts);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            boolean any = false;
            for (List<String> prompts : sets) {
                if (i < prompts.size()) {
                    out.add(prompts.get(i));
                    any = true;
                }
            }
            if (!any) {
                return out;
            }
        }
    }
}
