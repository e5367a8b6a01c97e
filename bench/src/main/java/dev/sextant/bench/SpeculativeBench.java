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
 * prompt-lookup (input-guided) decoding on the copy-with-edit set, and draft-model speculation with
 * story-lm-draft on continuations of the JSON-set instructions (story-lm, trained on facts, continues
 * them with questions and answers for about 50 tokens). Every input is decoded by greedy and by the
 * method in alternating order, after warm-up passes; the outputs must be identical token for token.
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
    record Part(String label, double speedup, double greedyMsPerToken, double methodMsPerToken, double acceptance,
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
                parts.add(compare("prompt-lookup, copy-with-edit", model, greedy, lookup,
                        prompts(eval.resolve("copyedit.jsonl")), 64, List.of("\n")));
            } else {
                out.println("(no prompt-lookup decoder: " + set.componentFailures().get("prompt-lookup") + ")");
            }
            if (set.component("speculative") instanceof Decoder speculative) {
                // story-lm continues these instructions with facts questions and answers for about 50 tokens
                parts.add(compare("draft model (story-lm-draft), continuations", model, greedy, speculative,
                        prompts(eval.resolve("json.jsonl")), 64, List.of()));
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
                String key = p.label().startsWith("prompt-lookup") ? "iad" : "draft";
                result.append(String.format(Locale.ROOT, " %s_speedup=%.3f %s_acceptance=%.3f", key, p.speedup(), key,
                        p.acceptance()));
            }
            result.append(" identical=").append(identical);
            out.println(result);
            return identical;
        }
    }

    private int warmupPasses() {
        return Math.max(1, options.warmup() / 10);
    }

    private int rounds() {
        return Math.max(1, options.rounds() / 10);
    }

    private Part compare(String label, LanguageModel model, Decoder greedy, Decoder method, List<String> prompts,
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
        return new Part(label, greedyNanos / (double) methodNanos, greedyNanos / 1e6 / tokens, methodNanos / 1e6 / tokens,
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
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(Views.mapper().readTree(line).get("prompt").asString());
            }
        }
        return out;
    }
}
