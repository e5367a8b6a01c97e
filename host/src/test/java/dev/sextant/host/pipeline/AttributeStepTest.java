package dev.sextant.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import dev.sextant.host.cli.Views;
import dev.sextant.host.pipeline.AttributionReport.Evidence;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.TokenListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code attribute} step on the real story model with the real attribution plugin: what the
 * {@code attribution} slot holds, which generated tokens it explains, and its JSON form.
 */
class AttributeStepTest {

    @TempDir
    static Path dir;

    private static SextantEngine engine;
    private static PipelineSet set;

    @BeforeAll
    static void load() throws Exception {
        engine = SextantEngine.start(TestHome.pluginsDir(), Map.of());
        set = engine.load(TestHome.attributionPipelines(dir));
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

    private static AttributionReport attribution(PipelineResult result) {
        return AttributionReport.in(result.slots()).orElseThrow();
    }

    /** Every row has a score for each column before its own token and none from there on. */
    private static void assertScoresEndAtEachRowsOwnToken(AttributionReport report) {
        assertThat(report.scores()).hasSize(report.rows());
        for (int r = 0; r < report.rows(); r++) {
            List<Float> row = report.scores().get(r);
            assertThat(row).as("row %d", r).hasSize(report.tokens().size());
            assertThat(row.subList(0, report.targetColumn(r))).as("row %d before its token", r).doesNotContainNull();
            assertThat(row.subList(report.targetColumn(r), row.size())).as("row %d from its token on", r)
                    .containsOnlyNulls();
        }
    }

    @Test
    void occlusionExplainsTheAnswerByTheWordThatStatesTheFact() throws Exception {
        AttributionReport report = attribution(run("occlusion", TestHome.OSLO_QUESTION));

        assertThat(report.method()).isEqualTo("occlusion");
        assertThat(report.targetTokens()).containsExactly(" oslo");
        List<Evidence> top = report.words().top().get(0);
        // Leaving out the final ':' (the cue to answer) costs about as much as leaving out 'oslo';
        // the question's verb matters too, but the sentence about tom costs next to nothing.
        assertThat(top.subList(0, 2)).extracting(Evidence::text).contains("oslo");
        Evidence oslo = top.stream().filter(e -> e.text().equals("oslo")).findFirst().orElseThrow();
        assertThat(oslo.score()).isGreaterThan(0.5f);
        List<String> distractor = List.of("tom", "has", "a", "red", "ball");
        List<String> words = report.words().words();
        assertThat(words).containsAll(distractor);
        for (int w = 0; w < words.size(); w++) {
            if (distractor.contains(words.get(w))) {
                assertThat(report.words().scores().get(0).get(w)).as(words.get(w)).isLessThan(0.1f);
            }
        }
        assertScoresEndAtEachRowsOwnToken(report);
    }

    @Test
    void theStopTokenIsGeneratedButNotExplained() throws Exception {
        PipelineResult result = run("occlusion", TestHome.OSLO_QUESTION);

        Map<?, ?> generation = (Map<?, ?>) result.slots().get(RunContext.GENERATION);
        assertThat((int[]) generation.get("token_ids")).as("' oslo' then the '\\n' that stops it").hasSize(2);
        AttributionReport report = attribution(result);
        assertThat(report.tokens().subList(report.inputLength(), report.tokens().size())).containsExactly(" oslo");
        assertThat(report.text()).isEqualTo(TestHome.OSLO_QUESTION + " oslo");
        assertThat(generation.get("prompt")).isEqualTo(TestHome.OSLO_QUESTION);
    }

    @Test
    void reagentGivesAFullMatrixAndTheSameScoresForTheSameSeed() throws Exception {
        AttributionReport first = attribution(run("reagent", TestHome.OSLO_QUESTION));
        AttributionReport second = attribution(run("reagent", TestHome.OSLO_QUESTION));

        assertThat(first.method()).isEqualTo("reagent");
        assertThat(first.settings()).containsEntry("probes", 4).containsEntry("seed", 7L);
        assertScoresEndAtEachRowsOwnToken(first);
        assertThat(first.top().get(0)).hasSize(AttributionReport.TOP);
        assertThat(second.scores()).isEqualTo(first.scores());
    }

    @Test
    void reagentWithTheMaskedLanguageModelReplacerExplainsTheAnswer() throws Exception {
        AttributionReport report = attribution(run("reagent-mlm", TestHome.OSLO_QUESTION));

        assertThat(report.settings()).containsEntry("replacer", "mlm").containsEntry("probes", 4);
        assertThat(report.targetTokens()).containsExactly(" oslo");
        assertScoresEndAtEachRowsOwnToken(report);
    }

    @Test
    void aSpanOfTokensGivesOneRowPerTokenStartingAtTheFirst() throws Exception {
        AttributionReport report = attribution(run("span", "mia lives in oslo . mia has a"));

        assertThat(report.rows()).isEqualTo(2);
        assertThat(report.targetFrom()).isEqualTo(1);
        assertThat(report.targetTokens()).containsExactly(report.tokens().get(report.inputLength() + 1),
                report.tokens().get(report.inputLength() + 2));
        assertScoresEndAtEachRowsOwnToken(report);
        assertThat(report.scores().get(1).get(report.inputLength() + 1))
                .as("the second row is explained by the first explained token too").isNotNull();
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void aTokenBeyondTheGenerationLeavesAWarningAndNoRows() throws Exception {
        AttributionReport report = attribution(run("beyond", TestHome.OSLO_QUESTION));

        assertThat(report.rows()).isZero();
        assertThat(report.inputLength()).isEqualTo(report.tokens().size()).isPositive();
        assertThat(report.warnings()).singleElement().asString()
                .contains("nothing to attribute", "tokens: 5", "1 token(s)");
    }

    @Test
    void theJsonHoldsNullWhereAScoreIsUndefinedAndNeverNaN() throws Exception {
        PipelineResult result = run("occlusion", TestHome.OSLO_QUESTION);

        String json = Views.json(result);
        JsonNode attribution = Views.mapper().readTree(json).get("slots").get("attribution");
        assertThat(json).doesNotContain("NaN");
        JsonNode row = attribution.get("scores").get(0);
        int columns = attribution.get("tokens").size();
        assertThat(row.size()).isEqualTo(columns);
        assertThat(row.get(columns - 1).isNull()).isTrue();
        assertThat(row.get(0).isNumber()).isTrue();
        assertThat(attribution.get("input_length").asInt()).isEqualTo(columns - 1);
        assertThat(attribution.get("target_tokens").get(0).asString()).isEqualTo(" oslo");
        assertThat(attribution.get("words").get("input_length").asInt()).isPositive();
        assertThat(attribution.get("top").get(0).get(0).has("score")).isTrue();
        assertThat(attribution.has("target_probabilities")).isTrue();
        assertThat(attribution.has("target_entropies")).isTrue();
    }
}
