package dev.sextant.spi.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Words found from offsets, for tokenizers that give no word ids. */
class EncodingTest {

    @Test
    void trimmedOffsetsStartAWordAfterWhitespaceAndJoinTouchingPieces() {
        // "hello wor ld,x": tokens [CLS] hello wor ld , x [SEP], "ld" touching "wor"
        String text = "hello world,x";
        int[] starts = {0, 0, 6, 9, 11, 12, 13};
        int[] ends = {0, 5, 9, 11, 12, 13, 13};

        assertThat(Encoding.wordsFromOffsets(starts, ends, text)).containsExactly(-1, 0, 1, 1, 1, 1, -1);
    }

    @Test
    void offsetsThatKeepALeadingSpaceStartANewWord() {
        // byte-level BPE without trimming: " world" covers its space
        String text = "hello world";
        int[] starts = {0, 5};
        int[] ends = {5, 11};

        assertThat(Encoding.wordsFromOffsets(starts, ends, text)).containsExactly(0, 1);
        assertThat(new Encoding(new int[] {1, 2}, new String[] {"hello", "Ġworld"}, starts, ends, text).wordCount())
                .isEqualTo(2);
    }

    @Test
    void piecesOfOneCharacterShareItsWord() {
        String text = "é a";
        assertThat(Encoding.wordsFromOffsets(new int[] {0, 0, 2}, new int[] {1, 1, 3}, text)).containsExactly(0, 0, 1);
    }

    @Test
    void everyArrayNeedsOneEntryPerToken() {
        assertThatThrownBy(() -> new Encoding(new int[] {1}, new String[] {"a"}, new int[] {0}, new int[] {1},
                new int[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wordIds");
    }
}
