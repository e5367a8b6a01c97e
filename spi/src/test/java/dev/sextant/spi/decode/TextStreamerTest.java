package dev.sextant.spi.decode;

import dev.sextant.spi.testing.ByteTokenizer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextStreamerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    /** Pushes every byte of {@code text}, returning the delta of each push. */
    private static List<String> pushAll(TextStreamer streamer, String text) {
        List<String> deltas = new ArrayList<>();
        for (int id : ByteTokenizer.ids(text)) {
            if (streamer.stopped()) {
                break;
            }
            deltas.add(streamer.push(id));
        }
        return deltas;
    }

    @Test
    void releasesPlainTextAsSoonAsItArrives() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of());

        assertThat(pushAll(streamer, "abc")).containsExactly("a", "b", "c");
        assertThat(streamer.finish()).isEmpty();
        assertThat(streamer.text()).isEqualTo("abc");
    }

    @Test
    void holdsBackAnIncompleteMultiByteCharacter() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of());

        // "é" is C3 A9 and "€" is E2 82 AC in UTF-8: each arrives byte by byte.
        assertThat(pushAll(streamer, "aé€")).containsExactly("a", "", "é", "", "", "€");
        assertThat(streamer.text()).isEqualTo("aé€");
    }

    @Test
    void neverReleasesTheReplacementCharacterOfAPartialByteSequence() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of());
        StringBuilder streamed = new StringBuilder();
        for (int id : ByteTokenizer.ids("日本")) {
            streamed.append(streamer.push(id));
            assertThat(streamed.toString()).doesNotContain("\uFFFD");
        }
        assertThat(streamed.toString()).isEqualTo("日本");
    }

    @Test
    void finishReleasesAnIncompleteCharacterThatNeverCompleted() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of());
        streamer.push(ByteTokenizer.id('a'));

        assertThat(streamer.push(0xE2)).isEmpty();
        assertThat(streamer.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void cutsTheTextBeforeAStopStringAndNeverStreamsIt() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of("END"));

        List<String> deltas = pushAll(streamer, "hi ENDING");

        assertThat(streamer.stopped()).isTrue();
        assertThat(streamer.text()).isEqualTo("hi ");
        assertThat(String.join("", deltas) + streamer.finish()).isEqualTo("hi ");
        assertThat(deltas).containsExactly("h", "i", " ", "", "", "");
    }

    @Test
    void holdsBackAPossibleStopStringPrefixUntilItIsRuledOut() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of("END"));

        assertThat(pushAll(streamer, "xEN")).containsExactly("x", "", "");
        assertThat(streamer.push(ByteTokenizer.id('D') + 1)).isEqualTo("EN");
        assertThat(streamer.stopped()).isFalse();
    }

    @Test
    void holdsBackOnlyTheLongestPossibleStopPrefix() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of("\n\n", "###"));

        List<String> deltas = pushAll(streamer, "a\n#b##");

        assertThat(deltas).containsExactly("a", "", "\n", "#b", "", "");
        assertThat(streamer.finish()).isEqualTo("##");
        assertThat(streamer.text()).isEqualTo("a\n#b##");
    }

    @Test
    void stopsAtTheEarliestOfSeveralStopStrings() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of("cd", "bcde"));

        pushAll(streamer, "abcdef");

        assertThat(streamer.text()).isEqualTo("ab");
    }

    @Test
    void findsAStopStringSpelledByOneMultiCharacterStep() {
        // A model whose tokens are longer than one character can complete a stop string and write
        // past it in one token: the text is still cut before it.
        TextStreamer streamer = new TextStreamer(new ByteTokenizer() {
            @Override
            public String decode(int[] ids, boolean skipSpecialTokens) {
                return super.decode(ids, skipSpecialTokens).replace("!", "STOP and more");
            }
        }, List.of("STOP"));

        assertThat(streamer.push(ByteTokenizer.id('a'))).isEqualTo("a");
        assertThat(streamer.push(ByteTokenizer.id('!'))).isEmpty();
        assertThat(streamer.text()).isEqualTo("a");
        assertThat(streamer.stopped()).isTrue();
    }

    @Test
    void aStopStringMayStartWithAMultiByteCharacter() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of("é!"));

        List<String> deltas = pushAll(streamer, "aé!b");

        assertThat(streamer.text()).isEqualTo("a");
        assertThat(String.join("", deltas)).isEqualTo("a");
    }

    @Test
    void refusesTokensAfterTheStop() {
        TextStreamer streamer = new TextStreamer(tokenizer, List.of("x"));
        streamer.push(ByteTokenizer.id('x'));

        assertThatThrownBy(() -> streamer.push(ByteTokenizer.id('y'))).isInstanceOf(IllegalStateException.class);
    }
}
