package dev.sextant.spi.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordAttributionTest {

    /** "mia lives in oslo ." + " oslo", tokenised as a byte-level BPE would: " oslo" is " os" + "lo". */
    private static Attribution attribution() {
        String text = "mia lives in oslo . oslo";
        List<String> tokens = List.of("mia", " lives", " in", " os", "lo", " .", " oslo");
        int[] starts = {0, 3, 9, 12, 15, 17, 19};
        int[] ends = {3, 9, 12, 15, 17, 19, 24};
        float nan = Float.NaN;
        float[][] scores = {{0.1f, 0.05f, 0.05f, 0.3f, 0.4f, 0.1f, nan}};
        return new Attribution("test", Map.of(), text, tokens, starts, ends, 6, 0, scores, new float[] {0.9f},
                new float[] {0.2f}, List.of());
    }

    @Test
    void subwordsOfOneWordAreSummedAndTheTargetStaysItsOwnWord() {
        WordAttribution words = attribution().words();
        assertThat(words.words()).containsExactly("mia", "lives", "in", "oslo", ".", "oslo");
        assertThat(words.inputLength()).isEqualTo(5);
        assertThat(words.firstColumn()).containsExactly(0, 1, 2, 3, 5, 6);
        assertThat(words.scores()[0][3]).isEqualTo(0.7f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(words.scores()[0][5]).isNaN();
        assertThat(words.starts()[3]).isEqualTo(12);
        assertThat(words.ends()[3]).isEqualTo(17);
    }

    @Test
    void rankingCoversOnlyTheColumnsBeforeTheRowsToken() {
        Attribution a = attribution();
        assertThat(a.ranking(0)).containsExactly(4, 3, 0, 5, 1, 2);
        assertThat(a.targetToken(0)).isEqualTo(" oslo");
        assertThat(a.inputTokens()).hasSize(6);
    }

    @Test
    void shapesThatDoNotFitAreRefused() {
        assertThatThrownBy(() -> new Attribution("t", Map.of(), "ab", List.of("a", "b"), new int[] {0, 1},
                new int[] {1, 2}, 1, 0, new float[][] {{0f}}, new float[] {1f}, new float[] {0f}, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one entry per token");
        assertThatThrownBy(() -> new Attribution("t", Map.of(), "ab", List.of("a", "b"), new int[] {0, 1},
                new int[] {1, 2}, 1, 1, new float[][] {{0f, 0f}}, new float[] {1f}, new float[] {0f}, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reach past");
    }

    @Test
    void requestsCheckTheirSpan() {
        AttributionRequest request = AttributionRequest.of("a", "b", 1, null);
        assertThat(request.span(2, 4).targetFrom()).isEqualTo(2);
        assertThatThrownBy(() -> request.span(3, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> request.span(-1, -1)).isInstanceOf(IllegalArgumentException.class);
        int[] ids = {1, 2};
        AttributionRequest withIds = request.withTargetIds(ids);
        ids[0] = 9;
        assertThat(withIds.targetIds()).containsExactly(1, 2);
    }
}
