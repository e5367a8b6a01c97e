package dev.sextant.bench;

import com.opencsv.CSVReaderHeaderAware;
import dev.sextant.host.SextantEngine;
import dev.sextant.host.cli.ProgressPrinter;
import dev.sextant.host.cli.Views;
import dev.sextant.host.pipeline.MultiHeadRunner;
import dev.sextant.host.pipeline.PipelineHeads;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.model.Encoder;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Task heads on one encoder pass. (1) Latency of one request through the pipeline (PF4J plugins,
 * pipeline file, {@code PipelineSet.run}) with eight heads against the same request with one head,
 * same encoder and texts, interleaved rounds: what the extra heads cost. (2) Encoder throughput by
 * batch size: texts per second when the same texts are embedded 1, 8, 32 and 64 at a time, for
 * tickets (about 50 tokens) and for short story sentences (about 10).
 */
final class HeadsBench {

    static final String NAME = "heads";
    static final String ONE = "one-head";
    static final String EIGHT = "eight-heads";
    static final String ENCODER = "minilm";
    static final int[] BATCHES = {1, 8, 32, 64};
    /** Texts for the throughput part; {@code -Dheads.texts=N} (in BENCH_JAVA_OPTS) changes it. */
    static final int THROUGHPUT_TEXTS = Integer.getInteger("heads.texts", 256);

    private final BenchOptions options;
    private final PrintStream out;

    HeadsBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    boolean run() throws Exception {
        Path pipelineFile = options.pipelines(NAME);
        Path cache = options.root().resolve("target/heads-cache");
        List<String> texts = tickets(options.root().resolve("examples/datasets/tickets.csv"));
        try (SextantEngine engine = SextantEngine.start(options.pluginsDir(), Map.of("heads.cache-dir",
                cache.toString())); PipelineSet set = engine.load(pipelineFile)) {
            if (!set.pipelineFailures().isEmpty() || !(set.component(ENCODER) instanceof Encoder encoder)) {
                throw new IllegalStateException(pipelineFile + " must declare the encoder " + ENCODER
                        + " and pipelines " + ONE + ", " + EIGHT + " that can run: " + set.pipelineFailures());
            }
            int heads = PipelineHeads.of(set, EIGHT).size();
            List<HeadTraining> trained = PipelineHeads.train(PipelineHeads.of(set, EIGHT), false,
                    new ProgressPrinter(System.err, "heads"));
            String runtimes = String.join(",", trained.stream().map(HeadTraining::runtime).distinct().toList());
            Map<String, String> provenance = encoder.info().provenance();
            out.printf(Locale.ROOT, "Heads: one request with %d heads vs 1 head on one %s pass (%s, pooling %s),"
                    + " intra-op threads %s, head runtime %s; %d warm-up runs per path, %d rounds%n", heads,
                    encoder.info().name(), provenance.getOrDefault("source", "?"), provenance.getOrDefault("pooling", "?"),
                    provenance.getOrDefault("intra-op-threads", "1"), runtimes, options.warmup(), options.rounds());
            for (int i = 0; i < options.warmup(); i++) {
                run(set, ONE, texts.get(i % texts.size()));
                run(set, EIGHT, texts.get(i % texts.size()));
            }
            double[] one = new double[options.rounds()];
            double[] eight = new double[options.rounds()];
            double[] paired = new double[options.rounds()];
            for (int r = 0; r < options.rounds(); r++) {
                String text = texts.get(r % texts.size());
                if (r % 2 == 0) {
                    one[r] = run(set, ONE, text);
                    eight[r] = run(set, EIGHT, text);
                } else {
                    eight[r] = run(set, EIGHT, text);
                    one[r] = run(set, ONE, text);
                }
                paired[r] = eight[r] / one[r];
            }
            Stats oneStats = new Stats(one);
            Stats eightStats = new Stats(eight);
            MultiHeadRunner.Result split = PipelineHeads.predict(set, EIGHT, List.of(texts.get(0)), RunLimits.DEFAULT);
            double headsMillis = split.headMillis().values().stream().mapToDouble(Double::doubleValue).sum();
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"path", "median ms", "p10 ms", "p90 ms"});
            table.add(row("pipeline run, 1 head", oneStats));
            table.add(row("pipeline run, " + heads + " heads", eightStats));
            out.print(Views.table(table));
            double ratio = eightStats.median() / oneStats.median();
            double pairedRatio = new Stats(paired).median();
            out.printf(Locale.ROOT, "one request (first text): encoder pass %.2f ms, all %d heads %.3f ms (%s)%n",
                    split.encodeMillis(), heads, headsMillis, perHead(split));
            out.printf(Locale.ROOT, "%d heads vs 1: ratio %.3f (median over medians), paired %.3f (median of"
                    + " per-round ratios)%n", heads, ratio, pairedRatio);

            List<String> stories = stories(options.root().resolve("examples/datasets/story-labels.jsonl"));
            double[] ticketRates = throughput(encoder, "ticket texts (about 50 tokens)", texts);
            double[] storyRates = throughput(encoder, "story sentences (about 10 tokens)", stories);
            out.printf(Locale.ROOT, "RESULT heads ratio_8_vs_1=%.3f paired_ratio=%.3f one_head_ms=%.2f eight_heads_ms=%.2f"
                    + " encode_ms=%.2f heads_ms=%.3f texts_per_s_b1=%.1f texts_per_s_b32=%.1f batch32_speedup=%.2f"
                    + " short_texts_per_s_b1=%.1f short_texts_per_s_b32=%.1f short_batch32_speedup=%.2f%n",
                    ratio, pairedRatio, oneStats.median(), eightStats.median(), split.encodeMillis(), headsMillis,
                    ticketRates[0], ticketRates[2], ticketRates[2] / ticketRates[0], storyRates[0], storyRates[2],
                    storyRates[2] / storyRates[0]);
        }
        return true;
    }

    /** Texts per second at each of {@link #BATCHES}, over {@link #THROUGHPUT_TEXTS} of {@code source}; prints a table. */
    private double[] throughput(Encoder encoder, String what, List<String> source) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; texts.size() < THROUGHPUT_TEXTS; i++) {
            texts.add(source.get(i % source.size()));
        }
        for (int b : BATCHES) {
            embedAll(encoder, texts.subList(0, Math.min(64, texts.size())), b); // warm-up
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"texts per call", "texts/s", "ms/text", "vs 1 per call"});
        double[] rates = new double[BATCHES.length];
        for (int k = 0; k < BATCHES.length; k++) {
            rates[k] = texts.size() / embedAll(encoder, texts, BATCHES[k]);
            table.add(new String[] {Integer.toString(BATCHES[k]), String.format(Locale.ROOT, "%.1f", rates[k]),
                    String.format(Locale.ROOT, "%.2f", 1000 / rates[k]),
                    String.format(Locale.ROOT, "%.2fx", rates[k] / rates[0])});
        }
        out.printf(Locale.ROOT, "Encoder throughput, %d %s, given to embed() b at a time:%n", texts.size(), what);
        out.print(Views.table(table));
        return rates;
    }

    private static double run(PipelineSet set, String pipeline, String text) throws Exception {
        long start = System.nanoTime();
        set.run(pipeline, text, TokenListener.NONE, RunLimits.DEFAULT);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double embedAll(Encoder encoder, List<String> texts, int batch) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < texts.size(); i += batch) {
            encoder.embed(texts.subList(i, Math.min(texts.size(), i + batch)), RunLimits.DEFAULT);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static String[] row(String name, Stats stats) {
        return new String[] {name, String.format(Locale.ROOT, "%.2f", stats.median()),
                String.format(Locale.ROOT, "%.2f", stats.percentile(10)),
                String.format(Locale.ROOT, "%.2f", stats.percentile(90))};
    }

    private static String perHead(MultiHeadRunner.Result result) {
        StringBuilder out = new StringBuilder();
        result.headMillis().forEach((head, ms) -> out.append(out.length() == 0 ? "" : ", ")
                .append(head).append(String.format(Locale.ROOT, " %.3f", ms)));
        return out.toString();
    }

    /** The story sentences, in file order. */
    static List<String> stories(Path jsonl) throws Exception {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                texts.add(Views.mapper().readTree(line).get("text").asString());
            }
        }
        return texts;
    }

    /** The ticket texts, in file order. */
    static List<String> tickets(Path csv) throws Exception {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalStateException("the benchmark sends ticket texts from " + csv + ", which is missing");
        }
        List<String> texts = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVReaderHeaderAware rows = new CSVReaderHeaderAware(reader)) {
            Map<String, String> row;
            while ((row = rows.readMap()) != null) {
                texts.add(row.get("text"));
            }
        }
        return texts;
    }
}
