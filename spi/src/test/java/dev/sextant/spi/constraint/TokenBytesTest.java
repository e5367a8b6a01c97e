package dev.sextant.spi.constraint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenBytesTest {

    /** A tokenizer that is only a vocabulary list (and decodes a token as its entry). */
    record Vocabulary(List<String> entries, Set<Integer> special) implements Tokenizer {
        @Override
        public Encoding encode(String text, boolean addSpecialTokens) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String decode(int[] ids, boolean skipSpecialTokens) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                sb.append(entries.get(id));
            }
            return sb.toString();
        }

        @Override
        public String token(int id) {
            return entries.get(id);
        }

        @Override
        public OptionalInt tokenId(String token) {
            int id = entries.indexOf(token);
            return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
        }

        @Override
        public int vocabSize() {
            return entries.size();
        }

        @Override
        public Set<Integer> specialTokenIds() {
            return special;
        }
    }

    @Test
    void byteLevelEntriesAreReadThroughGpt2sAlphabet() {
        // "Ġthe" is " the"; "Ã©" is the two bytes of é; "Ċ" a newline; "ä¸" the first two bytes of 中
        TokenBytes bytes = TokenBytes.of(new Vocabulary(List.of("<|endoftext|>", "Ġthe", "Ã©", "Ċ", "ä¸", "{\""),
                Set.of(0)), Set.of(0));

        assertThat(bytes.bytes(0)).isNull();
        assertThat(bytes.bytes(1)).isEqualTo(" the".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.bytes(2)).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.bytes(3)).isEqualTo(new byte[] {'\n'});
        assertThat(bytes.bytes(4)).isEqualTo(new byte[] {(byte) 0xE4, (byte) 0xB8});
        assertThat(bytes.bytes(5)).isEqualTo("{\"".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.endIds()).containsExactly(0);
    }

    @Test
    void byteLevelEntriesAreWrittenSoThatTheyReadBackToTheSameBytes() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        String entry = TokenBytes.byteLevelEntry(all);
        assertThat(TokenBytes.byteLevelEntry(" the".getBytes(StandardCharsets.UTF_8))).isEqualTo("\u0120the");
        TokenBytes bytes = TokenBytes.of(new Vocabulary(List.of("<s>", entry), Set.of(0)), Set.of(0));
        assertThat(bytes.bytes(1)).isEqualTo(all);
    }

    @Test
    void sentencePieceEntriesAreReadWithTheirSpaceMarkAndByteTokens() {
        TokenBytes bytes = TokenBytes.of(new Vocabulary(List.of("</s>", "▁hello", "<0xE4>", "lo", "▁"), Set.of(0)),
                Set.of(0));

        assertThat(bytes.bytes(1)).isEqualTo(" hello".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.bytes(2)).isEqualTo(new byte[] {(byte) 0xE4});
        assertThat(bytes.bytes(3)).isEqualTo("lo".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.bytes(4)).isEqualTo(new byte[] {' '});
    }

    @Test
    void otherVocabulariesAreReadFromEachTokensDecodedText() {
        TokenBytes bytes = TokenBytes.of(new ByteTokenizer(), Set.of(ByteTokenizer.EOS));

        assertThat(bytes.size()).isEqualTo(ByteTokenizer.VOCAB);
        assertThat(bytes.bytes('a')).isEqualTo(new byte[] {'a'});
        assertThat(bytes.bytes(ByteTokenizer.EOS)).isNull();
    }
}
