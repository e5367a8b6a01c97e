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
            for (int i = 0; i < Math.min(options.warmup(), timed.size()); i++) {
                lingua.compress(new CompressionRequest(timed.get(i)[0], timed.get(i)[1], Budget.rate(RATE),
                        RunLimits.DEFAULT));
            }
            double forward = 0;
            double total = 0;
            long tokens = 0;
            long wall = System.nanoTime();
            for (String[] item : timed) {
                Compression c = lingua.compress(new CompressionRequest(item[0], item[1], Budget.rate(RATE),
                        RunLimits.DEFAULT));
                forward += number(c.info().get("forward_ms"));
                total += number(c.info().get("total_ms"));
                tokens += c.originalTokens();
            }
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double share = forward / total;
            double tokensPerSecond = tokens / wallSeconds;
            out.printf(Locale.ROOT, "llmlingua2 on %d contexts of the compression set (rate %.1f, %d tokens): %.1f ms"
                    + " per context, %.1f%% of it in the classifier's forward pass; %.0f tokens/s%n", timed.size(),
                    RATE, tokens, total / timed.size(), 100 * share, tokensPerSecond);

            // end to end: answer uncompressed vs compress then answer, interleaved
            for (int i = 0; i < Math.min(options.warmup(), timed.size()); i++) {
                run(set, "answer", timed.get(i));
                run(set, "compressed-answer", timed.get(i));
            }
            double[] plain = new double[timed.size()];
            double[] compressed = new double[timed.size()];
            for (int i = 0; i < timed.size(); i++) {
                if (i % 2 == 0) {
                    plain[i] = run(set, "answer", timed.get(i));
                    compressed[i] = run(set, "compressed-answer", timed.get(i));
                } else {
                    compressed[i] = run(set, "compressed-answer", timed.get(i));
                    plain[i] = run(set, "answer", timed.get(i));
                }
            }
            Stats plainStats = new Stats(plain);
            Stats compressedStats = new Stats(compressed);
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"path", "median ms", "p10 ms", "p90 ms"});
            table.add(row("answer (uncompressed)", plainStats));
            table.add(row("compress (llmlingua2, rate 0.5) + answer", compressedStats));
            out.print(Views.table(table));

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
            out.printf(Locale.ROOT, "RESULT compression forward_share=%.3f tokens_per_s=%.0f ms_per_context=%.1f"
                    + " answer_ms=%.2f compress_answer_ms=%.2f e2e_ratio=%.3f zipfit_docs_per_s=%.0f"
                    + " zipfit_docs_per_s_all_threads=%.0f%n", share, tokensPerSecond, total / timed.size(),
                    plainStats.median(), compressedStats.median(), compressedStats.median() / plainStats.median(),
                    gzipOne, gzipAll);
        }
        return true;
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
