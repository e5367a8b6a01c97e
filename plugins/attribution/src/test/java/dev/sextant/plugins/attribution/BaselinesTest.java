package dev.sextant.plugins.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.testing.ScriptedModel;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    private static final String INPUT = "one two X three four";
    private static final int EVIDENCE = INPUT.indexOf('X');

    @Test
    void leaveOneOutFindsThePlantedTokenAndScoresTheRestZero() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        for (String mode : new String[] {"remove", "replace"}) {
            Attribution a = new OcclusionAttributor(new OcclusionConfig(mode, null, 4)).attribute(model,
                    AttributionRequest.of(INPUT, "Y", 0, RunLimits.DEFAULT));
            assertThat(a.ranking(0)[0]).as(mode).isEqualTo(EVIDENCE);
            assertThat((double) a.scores()[0][EVIDENCE]).as(mode).isCloseTo(a.targetProbabilities()[0], within(1e-3));
            assertThat(a.scores()[0][0]).as(mode).isZero();
            assertThat(a.method()).isEqualTo("occlusion");
        }
    }

    @Test
    void occlusionOptionsAreChecked() {
        assertThatThrownBy(() -> new OcclusionAttributor(new OcclusionConfig("blank", null, 4)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown mode 'blank'");
        assertThatThrownBy(() -> new OcclusionAttributor(new OcclusionConfig("remove", "x", 4)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only with mode: replace");
    }

    @Test
    void randomScoresAreSeededAndSumToOne() throws SextantException {
        ScriptedModel model = PlantedModels.evidence('X', 'Y');
        Attribution a = new RandomAttributor().attribute(model, AttributionRequest.of(INPUT, "YY", 9, RunLimits.DEFAULT));
        Attribution b = new RandomAttributor().attribute(model, AttributionRequest.of(INPUT, "YY", 9, RunLimits.DEFAULT));
        Attribution c = new RandomAttributor().attribute(model, AttributionRequest.of(INPUT, "YY", 10, RunLimits.DEFAULT));
        assertThat(a.scores()[1]).containsExactly(b.scores()[1]);
        assertThat(a.scores()[1]).isNotEqualTo(c.scores()[1]);
        double sum = 0;
        for (int col = 0; col < a.targetColumn(1); col++) {
            sum += a.scores()[1][col];
        }
        assertThat(sum).isCloseTo(1.0, within(1e-5));
    }
}
