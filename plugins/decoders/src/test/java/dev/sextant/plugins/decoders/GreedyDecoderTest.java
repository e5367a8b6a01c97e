package dev.sextant.plugins.decoders;

import dev.sextant.spi.testing.ScriptedModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.SextantException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GreedyDecoderTest {

    private final GreedyDecoder greedy = new GreedyDecoder();
    private final SplittableRandom random = new SplittableRandom(1);

    @Test
    void choosesTheHighestScore() {
        assertThat(greedy.choose(new float[] {0.5f, -1f, 2.5f, 2.4f}, random)).isEqualTo(2);
        assertThat(greedy.choose(new float[] {Float.NEGATIVE_INFINITY, -7f, Float.NEGATIVE_INFINITY}, random))
                .isEqualTo(1);
    }

    @Test
    void breaksTiesTowardsTheLowestId() {
        assertThat(greedy.choose(new float[] {1f, 3f, 0f, 3f, 3f}, random)).isEqualTo(1);
    }

    @Test
    void refusesScoresWithNothingToChoose() {
        float[] none = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};

        assertThatThrownBy(() -> greedy.choose(none, random)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Infinity");
    }

    @Test
    void followsTheModelsMostLikelyPath() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("Once", " upon a time"));

        assertThat(Generate.text(greedy, model, "Once", 50, null)).isEqualTo(" upon a time");
    }

    @Test
    void ignoresTheSeed() throws SextantException {
        ScriptedModel model = Generate.hashed();

        assertThat(Generate.text(greedy, model, "x", 20, 1L)).isEqualTo(Generate.text(greedy, model, "x", 20, 2L));
    }
}
