package dev.sextant.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The generation loop's overhead on two model sizes: the {@code greedy-loop} comparison (Sextant's
 * pipeline against a minimal hand-written ONNX Runtime loop, same model, one intra-op thread) on
 * {@code models/story-lm}, then on a GPT-2-small-shaped model with random weights if
 * {@code tools/forge/build_gpt2_small.sh} has written one (about 25 ms a token here, so fewer, shorter
 * runs). Ends with {@code RESULT decode-overhead ratio_story=... ratio_gpt2small=...}.
 */
final class DecodeOverheadBench {

    static final String NAME = "decode-overhead";
    /** Where the forge writes the GPT-2-small-shaped model; {@code -Ddecode.gpt2-small=DIR} moves it. */
    static final String GPT2_SMALL = System.getProperty("decode.gpt2-small", "bench/target/models/gpt2-small-random");
    /** Tokens per run, warm-up runs and rounds on the GPT-2-small shape (a step costs about 100 of story-lm's). */
    static final int GPT2_TOKENS = 32;
    static final int GPT2_WARMUP = 3;
    static final int GPT2_ROUNDS = 5;

    private final BenchOptions options;
    private final PrintStream out;

    DecodeOverheadBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    boolean run() throws Exception {
        GreedyLoopBench story = new GreedyLoopBench(options, out);
        boolean agree = story.run();
        double gpt2Ratio = Double.NaN;
        double gpt2Cpu = Double.NaN;
        Path folder = options.root().resolve(GPT2_SMALL);
        if (Files.isRegularFile(folder.resolve("model.onnx"))) {
            Path file = gpt2SmallFile(folder, GPT2_TOKENS);
            try {
                GreedyLoopBench gpt2 = new GreedyLoopBench(options, out);
                agree &= gpt2.run(file, GPT2_WARMUP, GPT2_ROUNDS, GreedyLoopBench.DEFAULT_PROMPTS);
                gpt2Ratio = gpt2.ratio();
                gpt2Cpu = gpt2.cpuRatio();
            } finally {
                Files.deleteIfExists(file);
            }
        } else {
            out.println("(no GPT-2-small-shaped model at " + GPT2_SMALL + ": tools/forge/build_gpt2_small.sh writes one)");
        }
        out.println();
        out.printf(Locale.ROOT, "RESULT %s ratio_story=%.3f cpu_ratio_story=%.3f%s agree=%s%n", NAME, story.ratio(),
                story.cpuRatio(), Double.isNaN(gpt2Ratio) ? ""
                        : String.format(Locale.ROOT, " ratio_gpt2small=%.3f cpu_ratio_gpt2small=%.3f", gpt2Ratio, gpt2Cpu),
                agree);
        return agree;
    }

    /**
     * A temporary pipeline file with the GPT-2-small-shaped model as component {@code gpt2-small} (one
     * intra-op thread), {@code greedy}, and pipeline {@code greedy-loop} writing {@code tokens} tokens.
     */
    static Path gpt2SmallFile(Path folder, int tokens) throws java.io.IOException {
        Path file = Files.createTempFile("sextant-bench-gpt2-small", ".yaml");
        Files.writeString(file, """
                components:
                  gpt2-small: {type: onnx-causal-lm, path: "%s", intra-op-threads: 1, inter-op-threads: 1}
                  greedy: {type: greedy}
                pipelines:
                  greedy-loop:
                    steps:
                      - generate: {model: gpt2-small, decoder: greedy, max-new-tokens: %d}
                """.formatted(folder.toAbsolutePath().toString().replace('\\', '/'), tokens), StandardCharsets.UTF_8);
        return file;
    }
}
