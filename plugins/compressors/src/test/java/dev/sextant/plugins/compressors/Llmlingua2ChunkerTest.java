package dev.sextant.plugins.compressors;

import static dev.sextant.plugins.compressors.Llmlingua2Texts.create;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.WordScore;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Llmlingua2ChunkerTest {

    private static final RunLimits LARGE = new RunLimits(1_000_000, null, null);

    private static final String SENTENCES = "The first sentence is here. A second one follows it! Is this the third?"
            + " Short. Then a fourth sentence that is a good deal longer than the others were.\nA line without a stop"
            + "\nand the last line.";

    private static Compression run(Llmlingua2FakeTagger tagger, String text) throws Exception {
        return create(tagger).compress(new CompressionRequest(text, null, Budget.rate(0.5), LARGE));
    }

    /** Words and spans of the same text classified whole, for comparison. */
    private static List<WordScore> unchunked(Tokenizer tokenizer, String text) throws Exception {
        return run(new Llmlingua2FakeTagger(tokenizer, 100_000, Llmlingua2FakeTagger.hashed()), text).words();
    }

    @Test
    void chunksEndAtSentencesFitTheWindowAndAreClassifiedInOneCall() throws Exception {
        Llmlingua2TestTokenizer tokenizer = Llmlingua2TestTokenizer.wordpiece();
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 32, Llmlingua2FakeTagger.hashed());
        Compression c = run(tagger, SENTENCES);
        assertThat(tagger.calls).hasSize(1);
        List<String> chunks = tagger.calls.get(0);
        assertThat(chunks.size()).isGreaterThanOrEqualTo(3).isEqualTo(c.info().get("chunks"));
        int at = 0;
        for (String chunk : chunks) {
            assertThat(tokenizer.encode(chunk, true).size()).isLessThanOrEqualTo(32);
            at = SENTENCES.indexOf(chunk, at);
            assertThat(at).as(chunk).isGreaterThanOrEqualTo(0);
            int end = at + chunk.length();
            boolean sentenceEnd = ".!?".indexOf(chunk.charAt(chunk.length() - 1)) >= 0
                    || end == SENTENCES.length() || SENTENCES.charAt(end) == '\n';
            assertThat(sentenceEnd).as("chunk '%s' ends a sentence", chunk).isTrue();
            at = end;
        }
        // Sentences are packed several to a chunk.
        assertThat(chunks.get(0)).isEqualTo("The first sentence is here. A second one follows it! Is this the third?");
        assertThat(c.words()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("kept")
                .isEqualTo(unchunked(tokenizer, SENTENCES));
    }

    @Test
    void lineBreaksEndSentences() throws Exception {
        String text = "alpha beta gamma\ndelta epsilon zeta\n\neta theta iota\nkappa lambda mu\nnu xi";
        ByteTokenizer tokenizer = new ByteTokenizer();
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 44, Llmlingua2FakeTagger.hashed());
        run(tagger, text);
        // 40 tokens a chunk: the first two lines (17 and 20 bytes with their line breaks), then the rest.
        assertThat(tagger.calls.get(0)).containsExactly("alpha beta gamma\ndelta epsilon zeta",
                "eta theta iota\nkappa lambda mu\nnu xi");
    }

    @Test
    void anOverLongSentenceIsSplitBetweenWords() throws Exception {
        String text = String.join(" ", java.util.Collections.nCopies(12, "some words without any stop")) + ".";
        for (Tokenizer tokenizer : List.of(Llmlingua2TestTokenizer.sentencepiece(), new ByteTokenizer())) {
            Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 20, Llmlingua2FakeTagger.hashed());
            Compression c = run(tagger, text);
            assertThat(tagger.calls).hasSize(1);
            for (String chunk : tagger.calls.get(0)) {
                assertThat(tokenizer.encode(chunk, true).size()).isLessThanOrEqualTo(20);
            }
            assertThat(tagger.calls.get(0).size()).isGreaterThan(5);
            assertThat(c.words()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("kept")
                    .isEqualTo(unchunked(tokenizer, text));
            assertThat(c.info()).containsEntry("warnings", List.of());
        }
    }

    @Test
    void aWordLongerThanTheWindowIsSplitWithAWarning() throws Exception {
        ByteTokenizer tokenizer = new ByteTokenizer();
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 12, Llmlingua2FakeTagger.hashed());
        Compression c = run(tagger, "a few words then averyveryverylongwordindeed and more.");
        for (String chunk : tagger.calls.get(0)) {
            assertThat(tokenizer.encode(chunk, true).size()).isLessThanOrEqualTo(12);
        }
        assertThat(c.info().get("warnings").toString()).contains("split between tokens");
        assertThat(c.words()).extracting(WordScore::word).contains("a", "few", "more.");
    }

    @Test
    void aChunkThatStillDoesNotFitIsSplitAgain() throws Exception {
        // A tokenizer that spells short texts (20 to 59 chars) with four more tokens: the chunks planned
        // from the whole text do not fit, though their first words do.
        Tokenizer inner = Llmlingua2TestTokenizer.wordpiece();
        Tokenizer padding = new PaddingTokenizer(inner);
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(padding, 16, Llmlingua2FakeTagger.hashed());
        Compression c = run(tagger, SENTENCES);
        assertThat(tagger.calls).hasSize(2);
        assertThat(c.info().get("warnings").toString()).contains("re-split");
        for (String chunk : tagger.calls.get(1)) {
            assertThat(padding.encode(chunk, true).size()).isLessThanOrEqualTo(16);
        }
        assertThat(c.words()).extracting(WordScore::word)
                .isEqualTo(unchunked(inner, SENTENCES).stream().map(WordScore::word).toList());
    }

    @Test
    void jsonValuesAreChunkedTogetherAndApart() throws Exception {
        Llmlingua2TestTokenizer tokenizer = Llmlingua2TestTokenizer.wordpiece();
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 24, Llmlingua2FakeTagger.hashed());
        String json = "{\"a\": \"one two\", \"b\": \"three four\", \"c\": \"" + SENTENCES.replace("\n", "\\n") + "\"}";
        create(tagger, Llmlingua2Texts.config("mean", List.of(), true, true, "json"))
                .compress(new CompressionRequest(json, null, Budget.rate(0.9), LARGE));
        assertThat(tagger.calls).hasSize(1);
        assertThat(tagger.calls.get(0).get(0)).startsWith("one two\nthree four");
    }

    /** Adds four word-less tokens to texts of 20 to 59 chars. */
    private record PaddingTokenizer(Tokenizer inner) implements Tokenizer {

        @Override
        public Encoding encode(String text, boolean addSpecialTokens) {
            Encoding e = inner.encode(text, addSpecialTokens);
            if (text.length() < 20 || text.length() >= 60) {
                return e;
            }
            int n = e.size() + 4;
            int[] ids = Arrays.copyOf(e.ids(), n);
            String[] tokens = Arrays.copyOf(e.tokens(), n);
            int[] starts = Arrays.copyOf(e.starts(), n);
            int[] ends = Arrays.copyOf(e.ends(), n);
            int[] words = Arrays.copyOf(e.wordIds(), n);
            for (int t = e.size(); t < n; t++) {
                tokens[t] = "[PAD]";
                starts[t] = text.length();
                ends[t] = text.length();
                words[t] = -1;
            }
            return new Encoding(ids, tokens, starts, ends, words);
        }

        @Override
        public String decode(int[] ids, boolean skipSpecialTokens) {
            return inner.decode(ids, skipSpecialTokens);
        }

        @Override
        public String token(int id) {
            return inner.token(id);
        }

        @Override
        public OptionalInt tokenId(String token) {
            return inner.tokenId(token);
        }

        @Override
        public int vocabSize() {
            return inner.vocabSize();
        }
    }
}
