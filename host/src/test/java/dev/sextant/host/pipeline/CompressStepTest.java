package dev.sextant.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.TokenListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code compress} and {@code select} steps with the real compressors plugin: llmlingua2 on the
 * committed story-tagger, and ZIP-FIT over a corpus file.
 */
class CompressStepTest {

    static final String PROMPT = "context : tounlon owns a purple scarf . in fact , tumdriam has a small blue key ."
            + " tumdriam owns a horse , of course . question : what colour is the key of tumdriam ? answer :";

    @TempDir
    static Path dir;

    private static SextantEngine engine;
    private static PipelineSet set;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("pool.txt"), String.join("\n",
                "fix : the dog run fast . fixed :",
                "text : mia took a train to oslo . topic :",
                "fix : tom have a red ball . fixed :",
                "write the record of mia as json with keys name , age . json :"));
        Path file = dir.resolve("compress.yaml");
        Files.writeString(file, """
                components:
                  story-tagger: {type: onnx-token-classifier, path: %s}
                  llmlingua2: {type: llmlingua2, model: story-tagger}
                  zipfit: {type: zipfit, threads: 1}
                pipelines:
                  half:
                    steps:
                      - compress: {compressor: llmlingua2, rate: 0.5, keep-until: "context :", keep-from: " question :"}
                  filler:
                    steps:
                      - compress: {compressor: llmlingua2, threshold: 0.5, keep-until: "context :", keep-from: " question :"}
                  examples:
                    steps:
                      - select: {selector: zipfit, corpus: pool.txt, top-k: 2, separator: " | "}
                """.formatted(TestHome.ROOT.resolve("models/story-tagger")));
        engine = SextantEngine.start(TestHome.pluginsDir(), Map.of());
        set = engine.load(file);
        assertThat(set.pipelineFailures()).isEmpty();
    }

    @AfterAll
    static void close() {
        set.close();
        engine.close();
    }

    private static PipelineResult run(String pipeline, String input) throws Exception {
        return set.run(pipeline, input, TokenListener.NONE, RunLimits.DEFAULT);
    }

    @Test
    void aRateBudgetKeepsThatShareAndTheTemplateAroundIt() throws Exception {
        PipelineResult result = run("half", PROMPT);

        CompressionReport report = CompressionReport.in(result.slots()).orElseThrow();
        // 31 tokens at rate 0.5: the goal is 15.5, met from either side in whole words (16 here).
        assertThat(report.achievedRate()).isCloseTo(0.5, within(0.02));
        assertThat(report.compressedTokens()).isLessThan(report.originalTokens());
        assertThat(report.head()).isEqualTo("context : ");
        assertThat(report.tail()).isEqualTo(" question : what colour is the key of tumdriam ? answer :");
        String prompt = (String) result.slots().get(RunContext.PROMPT);
        assertThat(prompt).startsWith("context : ").endsWith(" question : what colour is the key of tumdriam ? answer :");
        assertThat(prompt.length()).isLessThan(PROMPT.length());
    }

    @Test
    void aThresholdDropsExactlyTheFillerTheTaggerLearned() throws Exception {
        PipelineResult result = run("filler", PROMPT);

        assertThat(result.slots().get(RunContext.PROMPT)).isEqualTo("context : tounlon owns a purple scarf ."
                + " tumdriam has a small blue key . tumdriam owns a horse . question : what colour is the key of"
                + " tumdriam ? answer :");
        CompressionReport report = CompressionReport.in(result.slots()).orElseThrow();
        assertThat(report.dropped()).isNotEmpty();
        assertThat(report.words()).allSatisfy(w -> assertThat(w.kept()).isEqualTo(w.keepScore() >= 0.5));
    }

    @Test
    void selectPutsTheMostAlikeCorpusTextsBeforeThePrompt() throws Exception {
        PipelineResult result = run("examples", "fix : she walk home . fixed :");

        String prompt = (String) result.slots().get(RunContext.PROMPT);
        assertThat(prompt).endsWith(" | fix : she walk home . fixed :");
        String[] parts = prompt.split(" \\| ");
        assertThat(List.of(parts[0], parts[1])).allSatisfy(p -> assertThat(p).startsWith("fix : "));
        SelectionReport selection = SelectionReport.in(result.slots()).orElseThrow();
        assertThat(selection.scored()).isEqualTo(4);
        assertThat(selection.selector()).isEqualTo("zipfit");
        assertThat(selection.selected()).extracting(SelectionReport.Chosen::text)
                .containsExactly(parts[0], parts[1]);
        assertThat(selection.selected().get(0).score()).isGreaterThanOrEqualTo(selection.selected().get(1).score());
    }
}
