package dev.sextant.bench;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.cli.Views;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lossless speed-ups over greedy decoding (bench/pipelines/speculative.yaml, one intra-op thread):
 * prompt-lookup (input-guided) decoding on the copy-with-edit set (and without re-alignment if the file
 * declares {@code prompt-lookup-plain}), and draft-model speculation with story-lm-draft on stories (the
 * first sentence of each compression-set context, continued for 64 tokens) and on story-lm's answers to
 * the JSON-set instructions (the record, about 27 tokens).
 * Every input is decoded by greedy and by the method in alternating order, after warm-up passes; the
 * outputs must be identical token for token.
 * The speed-up is total greedy time over total method time; acceptance is accepted over drafted tokens.
 */
final class SpeculativeBench {

    static final String NAME = "speculative";
    /** Inputs per part; {@code -Dspeculative.inputs=N} changes it. */
    static final int INPUTS = Integer.getInteger("speculative.inputs", 50);

    private final BenchOptions options;
    private final PrintStream out;

    SpeculativeBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** One method against greedy on a list of prompts. */
    record Part(String key, String label, double speedup, double greedyMsPerToken, double methodMsPerToken, double acceptance,
            double tokensPerCall, boolean identical, int inputs, long tokens) {
    }

    boolean run() throws Exception {
        Path file = options.pipelines(NAME);
        Path eval = options.root().resolve("models/eval");
        try (SextantEngine engine = SextantEngine.start(options.pluginsDir(), Map.of());
                PipelineSet set = engine.load(file)) {
            LanguageModel model = (LanguageModel) set.component("story-lm");
            Decoder greedy = (Decoder) set.component("greedy");
            if (model == null || greedy == null) {
                throw new IllegalStateException(file + " must declare story-lm and greedy: " + set.componentFailures());
            }
            List<Part> parts = new ArrayList<>();
            if (set.component("prompt-lookup") instanceof Decoder lookup) {
                parts.add(compare("iad", "prompt-lookup, copy-with-edit", model, greedy, lookup,
                        prompts(eval.resolve("copyedit.jsonl")), 64, List.of("\n")));
            } else {
                out.println("(no prompt-lookup decoder: " + set.componentFailures().get("prompt-lookup") + ")");
            }
            if (set.component("prompt-lookup-plain") instanceof Decoder plain) {
                parts.add(compare("iad_plain", "prompt-lookup, realign: false, copy-with-edit", model, greedy, plain,
                        prompts(eval.resolve("copyedit.jsonl")), 64, List.of("\n")));
            }
            if (set.component("speculative") instanceof Decoder speculative) {
                // stories: the first sentence of each compression-set context, continued for 64 tokens
                parts.add(compare("draft", "draft model (story-lm-draft), stories", model, greedy, speculative,
                        firstSentences(eval.resolve("compression.jsonl")), 64, List.of()));
                // story-lm writes the JSON record these instructions ask for (about 27 tokens), then ends the text
                parts.add(compare("draft_json", "draft model (story-lm-draft), JSON records", model, greedy,
                        speculative, prompts(eval.resolve("json.jsonl")), 64, List.of()));
            } else {
                out.println("(no speculative decoder: " + set.componentFailures().getOrDefault("speculative",
                        set.componentFailures().get("story-lm-draft")) + ")");
            }
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"method", "inputs", "tokens", "greedy ms/token", "method ms/token", "speed-up",
                "acceptance", "tokens/call", "identical"});
            boolean identical = true;
            for (Part p : parts) {
                identical &= p.identical();
                table.add(new String[] {p.label(), Integer.toString(p.inputs()), Long.toString(p.tokens()),
                    String.format(Locale.ROOT, "%.4f", p.greedyMsPerToken()),
                    String.format(Locale.ROOT, "%.4f", p.methodMsPerToken()),
                    String.format(Locale.ROOT, "%.2fx", p.speedup()),
                    String.format(Locale.ROOT, "%.3f", p.acceptance()),
                    String.format(Locale.ROOT, "%.2f", p.tokensPerCall()), Boolean.toString(p.identical())});
            }
            out.printf(Locale.ROOT, "speculative decoding vs greedy, story-lm, one intra-op thread; %d warm-up passes,"
                    + " then %d measured, greedy and method alternating per input%n", warmupPasses(), rounds());
            out.print(Views.table(table));
            StringBuilder result = new StringBuilder("RESULT " + NAME);
            for (Part p : parts) {
                result.append(String.format(Locale.ROOT, " %s_speedup=%.3f %s_acceptance=%.3f", p.key(), p.speedup(),
                        p.key(), p.acceptance()));
            }
            result.append(" identical=").append(identical);
            result.append(verifyCosts(engine, model, prompts(eval.resolve("copyedit.jsonl")).get(0)));
            out.println(result);
            return identical;
        }
    }

    /**
     * Prints what a verifying call over k tokens costs in steps, on story-lm and on the GPT-2-small
     * shape if the forge wrote it; returns the RESULT keys {@code verify16_story=} and
     * {@code verify16_gpt2small=} (a call over 16 tokens / one step).
     */
    private String verifyCosts(SextantEngine engine, LanguageModel story, String prompt) throws Exception {
        List<String[]> table = new ArrayList<>();
        String[] header = new String[VerifyCost.SIZES.length + 2];
        header[0] = "model";
        header[1] = "step ms";
        for (int s = 0; s < VerifyCost.SIZES.length; s++) {
            header[s + 2] = VerifyCost.SIZES[s] + " tokens";
        }
        table.add(header);
        StringBuilder keys = new StringBuilder();
        int[] ids = story.tokenizer().encode(prompt, false).ids();
        keys.append(verifyCostRow(table, "story-lm", VerifyCost.measure(story, ids, 50, 200), "story"));
        Path folder = options.root().resolve(DecodeOverheadBench.GPT2_SMALL);
        if (Files.isRegularFile(folder.resolve("model.onnx"))) {
            Path file = DecodeOverheadBench.gpt2SmallFile(folder, 1);
            try (PipelineSet gpt2 = engine.load(file)) {
                LanguageModel model = (LanguageModel) gpt2.component("gpt2-small");
                int[] gpt2Ids = model.tokenizer().encode("mia lives in oslo . tom has a red ball . where does mia live",
                        false).ids();
                keys.append(verifyCostRow(table, "GPT-2-small shape, random weights",
                        VerifyCost.measure(model, gpt2Ids, 3, 7), "gpt2small"));
            } finally {
                Files.deleteIfExists(file);
            }
        } else {
            out.println("(no GPT-2-small-shaped model at " + DecodeOverheadBench.GPT2_SMALL
                    + ": tools/forge/build_gpt2_small.sh writes one)");
        }
        out.println("one verifying call over k tokens (appendAll, then rewound) in steps (append of one token),"
                + " medians, one intra-op thread:");
        out.print(Views.table(table));
        return keys.toString();
    }

    private static String verifyCostRow(List<String[]> table, String label, double[] ms, String key) {
        String[] row = new String[ms.length + 1];
        row[0] = label;
        row[1] = String.format(Locale.ROOT, "%.4f", ms[0]);
        for (int i = 1; i < ms.length; i++) {
            row[i + 1] = String.format(Locale.ROOT, "%.2f", ms[i] / ms[0]);
        }
        table.add(row);
        return String.format(Locale.ROOT, " verify%d_%s=%.2f", VerifyCost.SIZES[VerifyCost.SIZES.length - 1], key,
                ms[ms.length - 1] / ms[0]);
    }

    /**
     * Passes over all inputs before measuring: each pass is 50 generations per decoder, and with two
     * passes the first method measured still ran 10-15% slow (JIT), so half the --warmup runs.
     */
    private int warmupPasses() {
        return Math.max(1, options.warmup() / 2);
    }

    private int rounds() {
        return Math.max(1, options.rounds() / 3);
    }

    private Part compare(String key, String label, LanguageModel model, Decoder greedy, Decoder method, List<String> prompts,
            int maxNew, List<String> stop) throws Exception {
        List<String> inputs = prompts.subList(0, Math.min(INPUTS, prompts.size()));
        boolean identical = true;
        for (int pass = 0; pass < warmupPasses(); pass++) {
            for (String prompt : inputs) {
                generate(greedy, model, prompt, maxNew, stop);
                generate(method, model, prompt, maxNew, stop);
            }
        }
        long greedyNanos = 0;
        long methodNanos = 0;
        long tokens = 0;
        double drafted = 0;
        double accepted = 0;
        double calls = 0;
        for (int round = 0; round < rounds(); round++) {
            for (int i = 0; i < inputs.size(); i++) {
                String prompt = inputs.get(i);
                // greedy first on every other input, so that drift and warm caches favour neither
                boolean greedyFirst = (i + round) % 2 == 0;
                Timed first = timed(greedyFirst ? greedy : method, model, prompt, maxNew, stop);
                Timed second = timed(greedyFirst ? method : greedy, model, prompt, maxNew, stop);
                Timed tg = greedyFirst ? first : second;
                Timed tm = greedyFirst ? second : first;
                greedyNanos += tg.nanos();
                methodNanos += tm.nanos();
                Generation g = tg.generation();
                Generation m = tm.generation();
                int[] expected = g.sequences().get(0).tokenIds();
                identical &= Arrays.equals(expected, m.sequences().get(0).tokenIds());
                tokens += expected.length;
                drafted += m.metrics().getOrDefault("drafted_tokens", 0.0);
                accepted += m.metrics().getOrDefault("accepted_tokens", 0.0);
                calls += m.metrics().getOrDefault("model_calls", 0.0);
            }
        }
        return new Part(key, label, greedyNanos / (double) methodNanos, greedyNanos / 1e6 / tokens, methodNanos / 1e6 / tokens,
                drafted == 0 ? 0 : accepted / drafted, calls == 0 ? 0 : tokens / calls, identical, inputs.size(),
                tokens / rounds());
    }

    /** A generation and the wall time it took. */
    private record Timed(Generation generation, long nanos) {
    }

    private static Timed timed(Decoder decoder, LanguageModel model, String prompt, int maxNew, List<String> stop)
            throws Exception {
        long start = System.nanoTime();
        Generation generation = generate(decoder, model, prompt, maxNew, stop);
        return new Timed(generation, System.nanoTime() - start);
    }

    private static Generation generate(Decoder decoder, LanguageModel model, String prompt, int maxNew,
            List<String> stop) throws Exception {
        return decoder.generate(model, new GenerationRequest(List.of(prompt), maxNew, stop, List.of(), null,
                RunLimits.DEFAULT, false), TokenListener.NONE);
    }

    private static List<String> prompts(Path file) throws Exception {
        return field(file, "prompt");
    }

    /** The first sentence (up to its " .") of each item's context. */
    private static List<String> firstSentences(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        for (String context : field(file, "context")) {
            int end = context.indexOf(" .");
            out.add(end < 0 ? context : context.substring(0, end + 2));
        }
        return out;
    }

    private static List<String> field(Path file, String name) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(Views.mapper().readTree(line).get(name).asString());
            }
        }
        return out;
    }
}
