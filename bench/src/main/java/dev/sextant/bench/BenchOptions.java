package dev.sextant.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the harness: benchmark names, then options.
 *
 * @param benchmarks the benchmarks to run, in order ({@code all} expanded)
 * @param root the Sextant folder (plugins, models and bench pipelines are found from it)
 * @param warmup warm-up runs of each path before measuring
 * @param rounds measured rounds; each path runs once per round
 * @param prompt the prompt text, or {@code null} for each benchmark's default
 * @param pluginsOption the plugins folder, or {@code null} for {@code <root>/target/plugins}
 * @param pipelinesOption the pipeline file, or {@code null} for {@code <root>/bench/pipelines/<benchmark>.yaml}
 */
record BenchOptions(List<String> benchmarks, Path root, int warmup, int rounds, String prompt, Path pluginsOption,
        Path pipelinesOption) {

    /** Every benchmark, in the order {@code all} runs them. */
    static final List<String> BENCHMARKS = List.of(GreedyLoopBench.NAME, DecodeOverheadBench.NAME, SpeculativeBench.NAME, ReagentBench.NAME,
            HeadsBench.NAME, CompressionBench.NAME, ConstraintsBench.NAME);

    static final String USAGE = String.join("\n",
            "usage: bench/run.sh <benchmark>... [options]",
            "benchmarks:",
            "  greedy-loop   greedy tokens/s through Sextant (PF4J plugins, pipeline file, PipelineSet.run)",
            "                vs a minimal hand-written ONNX Runtime loop on the same model, batch 1",
            "  decode-overhead  greedy-loop on story-lm and on a GPT-2-small-shaped model with random weights",
            "                (tools/forge/build_gpt2_small.sh); RESULT ratio_story=, ratio_gpt2small=",
            "  speculative   prompt-lookup on the copy-with-edit set and draft-model speculation vs greedy, outputs",
            "                compared token for token; RESULT iad_speedup=, draft_speedup=, identical=",
            "  reagent       ReAGent time per attributed token, Sextant vs an inseq-style port on raw ONNX Runtime,",
            "                same model, settings and seeds; and how often both give the same top 3",
            "  heads         one request with 8 task heads vs 1 head on one encoder pass; encoder texts/s by batch size",
            "  compression   llmlingua2's forward-pass share and tokens/s, compress+answer vs answer, ZIP-FIT documents/s",
            "  constraints   token masks of json-schema (the plugin's schema corpus: compile ms, share supported) and",
            "                regex: per-step mask µs on story-lm's, GPT-2's, cl100k and o200k vocabularies",
            "  all           every benchmark above",
            "options:",
            "  --warmup N       warm-up runs of each path before measuring (default 20)",
            "  --rounds N       measured rounds, every path once per round, interleaved (default 30)",
            "  --prompt TEXT    the prompt (default: the first built-in prompt the model continues for 64+ tokens)",
            "  --plugins DIR    plugins folder (default <root>/target/plugins)",
            "  --pipelines FILE pipeline file (default <root>/bench/pipelines/<benchmark>.yaml)",
            "  --root DIR       the Sextant folder (default: the working directory)");

    /** Parses the command line; throws {@link IllegalArgumentException} with a message for the user. */
    static BenchOptions parse(String[] args) {
        List<String> names = new ArrayList<>();
        Path root = Path.of(System.getProperty("sextant.home", "."));
        int warmup = 20;
        int rounds = 30;
        String prompt = null;
        Path plugins = null;
        Path pipelines = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (arg.equals("all")) {
                    names.addAll(BENCHMARKS);
                } else if (BENCHMARKS.contains(arg)) {
                    names.add(arg);
                } else {
                    throw new IllegalArgumentException("unknown benchmark '" + arg + "'; benchmarks: "
                            + String.join(", ", BENCHMARKS) + ", all");
                }
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--warmup" -> warmup = count(arg, value, 0);
                case "--rounds" -> rounds = count(arg, value, 1);
                case "--prompt" -> prompt = value;
                case "--plugins" -> plugins = Path.of(value);
                case "--pipelines" -> pipelines = Path.of(value);
                case "--root" -> root = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name a benchmark to run");
        }
        return new BenchOptions(List.copyOf(names.stream().distinct().toList()), root.toAbsolutePath().normalize(),
                warmup, rounds, prompt, plugins, pipelines);
    }

    private static int count(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a whole number of at least " + min + ", got '" + value + "'");
    }

    Path pluginsDir() {
        return pluginsOption != null ? pluginsOption : root.resolve("target/plugins");
    }

    Path pipelines(String benchmark) {
        return pipelinesOption != null ? pipelinesOption : root.resolve("bench/pipelines/" + benchmark + ".yaml");
    }
}
