package dev.sextant.plugins.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.testing.ByteTokenizer;
import dev.sextant.spi.testing.ScriptedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReagentAttributorTest {

    private static final String INPUT = "the quick brown fox X jumps over the lazy dog";
    private static final int EVIDENCE = INPUT.indexOf('X');

    static ReagentConfig config(String replacer, int probes, int maxSteps, int maxBatch) {
        return new ReagentConfig(replacer, null, probes, 0.3, 5, 0, 3, maxSteps, 0, maxBatch);
    }

    private static Attribution run(ReagentConfig config, Replacer replacer, LanguageModel model, String target,
            long seed) throws SextantException {
        return new ReagentAttributor(config, replacer).attribute(model,
                AttributionRequest.of(INPUT, target, seed, RunLimits.DEFAULT));
    }

    @Test
    void thePlantedEvidenceRanksFirstWithEitherReplacer() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        for (Replacer replacer : List.of(new UniformReplacer(), new ModelPredictionReplacer())) {
            Attribution a = run(config(replacer.name(), 16, 3000, 64), replacer, model, "Y", 7);
            assertThat(a.ranking(0)[0]).as(replacer.name()).isEqualTo(EVIDENCE);
            // well above the uniform share of the 44 columns
            assertThat(a.scores()[0][EVIDENCE]).as(replacer.name()).isGreaterThan(3f / INPUT.length());
            assertThat(a.warnings()).isEmpty();
            double sum = 0;
            for (int c = 0; c < INPUT.length(); c++) {
                sum += a.scores()[0][c];
            }
            assertThat(sum).as("mean of softmax scores sums to 1").isCloseTo(1.0, within(1e-4));
            assertThat(a.targetProbabilities()[0]).isGreaterThan(0.9f);
        }
    }

    @Test
    void sameSeedSameScoresOtherSeedOtherScores() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        ReagentConfig config = config("uniform", 8, 3000, 64);
        Attribution a = run(config, new UniformReplacer(), model, "Y", 1);
        Attribution b = run(config, new UniformReplacer(), model, "Y", 1);
        Attribution c = run(config, new UniformReplacer(), model, "Y", 2);
        assertThat(a.scores()[0]).containsExactly(b.scores()[0]);
        assertThat(a.scores()[0]).isNotEqualTo(c.scores()[0]);
        assertThat(c.ranking(0)[0]).isEqualTo(EVIDENCE);
    }

    @Test
    void batchingChangesNothing() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        Attribution wide = run(config("uniform", 8, 3000, 64), new UniformReplacer(), model, "Y", 3);
        Attribution narrow = run(config("uniform", 8, 3000, 3), new UniformReplacer(), model, "Y", 3);
        assertThat(narrow.scores()[0]).containsExactly(wide.scores()[0]);
    }

    /**
     * The batched schedule (a probe's next perturbation scored together with its pending stopping
     * check, converged probes dropped) must give exactly what running each probe alone gives:
     * update, check, update, check, ... as inseq does.
     */
    @Test
    void equalsTheProbeByProbeLoop() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        ReagentConfig config = config("uniform", 6, 3000, 64);
        Attribution batched = run(config, new UniformReplacer(), model, "Y", 11);
        AttributionProblem problem = AttributionProblem.of(model, AttributionRequest.of(INPUT, "Y", 11,
                RunLimits.DEFAULT));
        Replacer.Session session = new UniformReplacer().start(problem);
        double[] mean = new double[INPUT.length()];
        int converged = 0;
        for (int p = 0; p < config.probes(); p++) {
            Probe probe = new Probe(0, problem.candidates(0), Seeds.stream(11, 0, p, 0), Seeds.stream(11, 0, p, 1));
            while (probe.steps < config.maxProbeSteps()) {
                Perturbation update = probe.perturbation(problem.prefix(0), config.replacingRatio());
                session.fill(List.of(update));
                float[] logits = model.nextTokenLogits(List.of(update.tokens()), RunLimits.DEFAULT)[0];
                probe.update(update.replaced(), problem.originalProbability(0), Scores.probability(logits, 'Y'));
                Perturbation check = probe.check(problem.prefix(0), 5);
                session.fill(List.of(check));
                if (Scores.inTopK(model.nextTokenLogits(List.of(check.tokens()), RunLimits.DEFAULT)[0], 'Y', 3)) {
                    probe.converged = true;
                    break;
                }
            }
            if (probe.converged) {
                converged++;
                double[] importance = probe.importance();
                for (int i = 0; i < importance.length; i++) {
                    mean[probe.candidates[i]] += importance[i];
                }
            }
        }
        assertThat(converged).isPositive();
        for (int c = 0; c < mean.length; c++) {
            assertThat((double) batched.scores()[0][c]).isCloseTo(mean[c] / converged, within(1e-6));
        }
    }

    @Test
    void noProbeStopsBeforeItsMinimumSteps() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        ReagentConfig quick = config("uniform", 4, 3000, 64);
        ReagentConfig patient = new ReagentConfig("uniform", null, 4, 0.3, 5, 0, 3, 3000, 40, 64);
        Attribution a = run(quick, new UniformReplacer(), model, "Y", 1);
        Attribution b = run(patient, new UniformReplacer(), model, "Y", 1);
        assertThat(((Number) stats(a).get("probe_steps")).longValue()).isLessThan(160);
        assertThat(((Number) stats(b).get("probe_steps")).longValue()).isGreaterThanOrEqualTo(160);
        assertThat(stats(b).get("converged_probes")).isEqualTo(List.of(4));
        assertThat(b.ranking(0)[0]).isEqualTo(EVIDENCE);
        assertThat(b.settings().get("min_probe_steps")).isEqualTo(40);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats(Attribution a) {
        return (Map<String, Object>) a.settings().get("run");
    }

    @Test
    void probesThatNeverConvergeFallBackToAllProbesWithAWarning() throws SextantException {
        Attribution a = run(config("uniform", 4, 5, 64), new UniformReplacer(), PlantedModels.hopeless('Y'), "Y", 1);
        assertThat(a.warnings()).singleElement().asString().contains("none of 4 probes converged within 5 steps");
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) a.settings().get("run");
        assertThat(stats.get("probe_steps")).isEqualTo(20L);
        assertThat(stats.get("converged_probes")).isEqualTo(List.of(0));
        assertThat(a.scores()[0][0]).isPositive();
    }

    @Test
    void aWholeGenerationHasOneRowPerTokenEachSeeingOnlyWhatCameBefore() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        Attribution a = run(config("uniform", 4, 3000, 64), new UniformReplacer(), model, "YY", 5);
        assertThat(a.rows()).isEqualTo(2);
        assertThat(a.tokens()).hasSize(INPUT.length() + 2);
        assertThat(a.targetColumn(1)).isEqualTo(INPUT.length() + 1);
        assertThat(a.scores()[0][INPUT.length()]).isNaN();
        assertThat(a.scores()[1][INPUT.length()]).isNotNaN();
        assertThat(a.scores()[1][INPUT.length() + 1]).isNaN();
        assertThat(a.ranking(1)).hasSize(INPUT.length() + 1);
        assertThat(a.ranking(0)[0]).isEqualTo(EVIDENCE);
        assertThat(a.targetEntropies()[0]).isPositive();
    }

    @Test
    void aSpanOfTheTargetGivesOnlyItsRows() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        Attribution a = new ReagentAttributor(config("uniform", 4, 3000, 64), new UniformReplacer())
                .attribute(model, AttributionRequest.of(INPUT, "YYY", 5, RunLimits.DEFAULT).span(1, 2));
        assertThat(a.rows()).isEqualTo(1);
        assertThat(a.targetFrom()).isEqualTo(1);
        assertThat(a.targetToken(0)).isEqualTo("Y");
        assertThatThrownBy(() -> new RandomAttributor().attribute(model,
                AttributionRequest.of(INPUT, "YYY", 5, RunLimits.DEFAULT).span(2, 5)))
                .isInstanceOf(InputException.class).hasMessageContaining("the target has 3 tokens");
    }

    @Test
    void emptyInputOrTargetAndTooLongInputAreClearErrors() {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        ReagentAttributor reagent = new ReagentAttributor(config("uniform", 2, 10, 64), new UniformReplacer());
        assertThatThrownBy(() -> reagent.attribute(model, AttributionRequest.of("", "Y", 1, RunLimits.DEFAULT)))
                .isInstanceOf(InputException.class).hasMessageContaining("input is empty");
        assertThatThrownBy(() -> reagent.attribute(model, AttributionRequest.of("abc", "", 1, RunLimits.DEFAULT)))
                .isInstanceOf(InputException.class).hasMessageContaining("target is empty");
        RunLimits tight = new RunLimits(5, null, null);
        assertThatThrownBy(() -> reagent.attribute(model, AttributionRequest.of(INPUT, "Y", 1, tight)))
                .isInstanceOf(InputException.class).hasMessageContaining("more than the limit of 5");
    }

    @Test
    void specialTokensAreNeverReplacedNorSampled() throws SextantException {
        int eos = ByteTokenizer.EOS;
        List<int[]> seen = new ArrayList<>();
        ScriptedModel.Logits planted = PlantedModels.evidenceLogits('X', 'Y');
        ScriptedModel model = new ScriptedModel(1024, (tokens, promptLength) -> {
            seen.add(tokens.clone());
            return planted.next(tokens, promptLength);
        });
        // an end-of-text token as the first target token: row 1 sees it in its prefix
        AttributionRequest request = AttributionRequest.of(INPUT, "?Y", 3, RunLimits.DEFAULT)
                .withTargetIds(new int[] {eos, 'Y'}).span(1, 2);
        Attribution a = new ReagentAttributor(config("uniform", 4, 50, 64), new UniformReplacer())
                .attribute(model, request);
        assertThat(a.scores()[0][INPUT.length()]).isZero();
        for (int[] tokens : seen) {
            for (int c = 0; c < tokens.length; c++) {
                assertThat(tokens[c] == eos).as("position %d of %s", c, Arrays.toString(tokens))
                        .isEqualTo(c == INPUT.length());
            }
        }
    }
}
