package dev.sextant.plugins.compressors;

import static dev.sextant.plugins.compressors.Llmlingua2Texts.config;
import static dev.sextant.plugins.compressors.Llmlingua2Texts.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.Span;
import dev.sextant.spi.compress.WordScore;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Llmlingua2CompressorTest {

    private static final RunLimits LARGE = new RunLimits(1_000_000, null, null);

    private static Compression compress(Compressor compressor, String text, Budget budget) throws Exception {
        return compressor.compress(new CompressionRequest(text, null, budget, LARGE));
    }

    private static WordScore word(Compression c, String word) {
        return c.words().stream().filter(w -> w.word().equals(word)).findFirst().orElseThrow(
                () -> new AssertionError("no word '" + word + "' in " + c.words()));
    }

    @Test
    void subWordProbabilitiesMergeByMeanOrFirst() throws Exception {
        Map<String, Double> pieces = Map.of("unb", 0.9, "eli", 0.1, "eva", 0.2, "ble", 0.4);
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                (word, piece, index) -> pieces.getOrDefault(piece, 0.5));
        String text = "unbelievable tale";
        Compression mean = compress(create(tagger, config("mean", List.of(), true, true, "none")), text,
                Budget.threshold(0.5));
        Compression first = compress(create(tagger, config("first", List.of(), true, true, "none")), text,
                Budget.threshold(0.5));
        assertThat(mean.words()).extracting(WordScore::word).containsExactly("unbelievable", "tale");
        assertThat(word(mean, "unbelievable").keepScore()).isCloseTo(0.4, within(1e-6));
        assertThat(word(mean, "unbelievable").kept()).isFalse();
        assertThat(word(first, "unbelievable").keepScore()).isCloseTo(0.9, within(1e-6));
        assertThat(word(first, "unbelievable").kept()).isTrue();
        assertThat(mean.text()).isEqualTo("tale");
        assertThat(first.text()).isEqualTo("unbelievable tale");
        assertThat(first.words().get(0).span()).isEqualTo(new Span(0, 12));
    }

    @Test
    void specialTokensAreNeitherWordsNorCounted() throws Exception {
        Llmlingua2TestTokenizer tokenizer = Llmlingua2TestTokenizer.wordpiece();
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 64, (word, piece, index) -> 0.2);
        Compression c = compress(create(tagger), "one two three", Budget.threshold(0.5));
        // [CLS] and [SEP] have keep probability 1 in the fake; skipping them leaves every word at 0.2.
        assertThat(c.words()).extracting(WordScore::word).containsExactly("one", "two", "three");
        assertThat(c.words()).allSatisfy(w -> assertThat(w.keepScore()).isCloseTo(0.2, within(1e-6)));
        assertThat(c.originalTokens()).isEqualTo(tokenizer.encode("one two three", false).size()).isEqualTo(4);
        assertThat(c.text()).isEmpty();
        assertThat(c.compressedTokens()).isZero();
    }

    @Test
    void wordsAreTheTokenizersOwnWords() throws Exception {
        String text = "Hello, world! Fine-tuned models.";
        Set<String> none = Set.of();
        Compression bert = compress(create(new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                Llmlingua2FakeTagger.wordList(none))), text, Budget.rate(1));
        Compression xlmr = compress(create(new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.sentencepiece(), 64,
                Llmlingua2FakeTagger.wordList(none))), text, Budget.rate(1));
        Compression bytes = compress(create(new Llmlingua2FakeTagger(new ByteTokenizer(), 64,
                Llmlingua2FakeTagger.wordList(none))), text, Budget.rate(1));
        assertThat(bert.words()).extracting(WordScore::word)
                .containsExactly("Hello", ",", "world", "!", "Fine", "-", "tuned", "models", ".");
        assertThat(xlmr.words()).extracting(WordScore::word)
                .containsExactly("Hello,", "world!", "Fine-tuned", "models.");
        assertThat(bytes.words()).extracting(WordScore::word)
                .containsExactly("Hello,", "world!", "Fine-tuned", "models.");
        for (Compression c : List.of(bert, xlmr, bytes)) {
            assertThat(c.text()).isEqualTo(text);
            assertThat(c.kept()).containsExactly(new Span(0, text.length()));
            assertThat(c.dropped()).isEmpty();
            for (WordScore w : c.words()) {
                assertThat(text.substring(w.span().start(), w.span().end())).isEqualTo(w.word());
            }
        }
    }

    static Stream<Arguments> tokenizersAndRates() {
        return Stream.of(new ByteTokenizer(), Llmlingua2TestTokenizer.wordpiece(),
                Llmlingua2TestTokenizer.sentencepiece(), new Llmlingua2MarkerTokenizer())
                .flatMap(t -> Stream.of(0.3, 0.5, 0.7).map(r -> Arguments.of(t, r)));
    }

    @ParameterizedTest
    @MethodSource("tokenizersAndRates")
    void achievedRateIsWithinTwoPointsOfTheRequest(Tokenizer tokenizer, double rate) throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 128, Llmlingua2FakeTagger.hashed());
        Compressor compressor = create(tagger);
        for (long seed = 1; seed <= 6; seed++) {
            String text = Llmlingua2Texts.prose(seed, 5 + (int) seed * 7);
            Compression c = compress(compressor, text, Budget.rate(rate));
            assertThat(c.originalTokens()).isEqualTo(tokenizer.encode(text, false).size());
            assertThat(c.compressedTokens()).isEqualTo(tokenizer.encode(c.text(), false).size());
            assertThat(c.achievedRate()).as("seed %d: %s", seed, c.text()).isCloseTo(rate, within(0.02));
            // A rate is met as nearly as whole words allow, from either side.
            assertThat((double) c.compressedTokens()).isCloseTo(rate * c.originalTokens(), within(2.0));
            assertKeptWordsAppearInOrder(c);
            assertThat(c.info()).containsEntry("warnings", List.of());
        }
    }

    /** The kept words, in order, are the output (with separators only). */
    private static void assertKeptWordsAppearInOrder(Compression c) {
        StringBuilder stripped = new StringBuilder();
        for (WordScore w : c.words()) {
            if (w.kept()) {
                stripped.append(w.word());
            }
        }
        String out = c.text().replaceAll("\\s+", "");
        // Dropped words may leave forced parts (force tokens), but every kept word is there in order.
        int at = 0;
        for (WordScore w : c.words()) {
            if (w.kept()) {
                int found = out.indexOf(w.word().replaceAll("\\s+", ""), at);
                assertThat(found).as("kept word '%s' in output", w.word()).isGreaterThanOrEqualTo(0);
                at = found + w.word().replaceAll("\\s+", "").length();
            }
        }
        assertThat(out.length()).isGreaterThanOrEqualTo(stripped.toString().replaceAll("\\s+", "").length());
    }

    @Test
    void highestScoringWordsAreKeptFirst() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                Llmlingua2FakeTagger.wordList(Set.of("cat", "mat")));
        Compression c = compress(create(tagger), "the cat sat on the mat", Budget.tokens(2));
        assertThat(c.text()).isEqualTo("cat mat");
        assertThat(c.compressedTokens()).isEqualTo(2);
        assertThat(c.kept()).containsExactly(new Span(4, 7), new Span(19, 22));
        assertThat(c.dropped()).containsExactly(new Span(0, 3), new Span(8, 18));
    }

    @Test
    void tokensBudgetIsNeverExceeded() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.sentencepiece(), 64,
                Llmlingua2FakeTagger.hashed());
        Compressor compressor = create(tagger, config("mean", List.of("\n"), false, true, "none"));
        String text = Llmlingua2Texts.prose(7, 30);
        for (int tokens : new int[] {1, 5, 40, 200}) {
            Compression c = compress(compressor, text, Budget.tokens(tokens));
            assertThat(c.compressedTokens()).isLessThanOrEqualTo(tokens);
            assertThat(c.info()).containsEntry("target_tokens", (long) tokens);
            if (tokens >= 40) {
                assertThat(c.compressedTokens()).isGreaterThanOrEqualTo(tokens - 3);
            }
        }
    }

    @Test
    void thresholdKeepsTheWordsReachingIt() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                Llmlingua2FakeTagger.wordList(Set.of("alpha", "gamma")));
        Compression c = compress(create(tagger), "alpha beta gamma delta", Budget.threshold(0.9));
        assertThat(c.text()).isEqualTo("alpha gamma");
        assertThat(c.words()).extracting(WordScore::kept).containsExactly(true, false, true, false);
        assertThat(c.info()).doesNotContainKey("target_tokens").containsEntry("budget", "threshold 0.9");
        assertThat(compress(create(tagger), "alpha beta gamma delta", Budget.threshold(0.95)).text()).isEmpty();
    }

    @Test
    void forceTokensAndDigitsAreKept() throws Exception {
        Llmlingua2FakeTagger bert = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                (word, piece, index) -> 0.0);
        Compression c = compress(create(bert, config("mean", List.of("?"), true, true, "none")),
                "Is it 42 or 7 ?", Budget.rate(0.1));
        assertThat(c.text()).isEqualTo("42 7 ?");
        assertThat(c.words()).filteredOn(WordScore::kept).extracting(WordScore::word).containsExactly("42", "7", "?");
        assertThat(c.info().get("warnings").toString()).contains("below the");

        Compression noDigits = compress(create(bert, config("mean", List.of("?"), false, true, "none")),
                "Is it 42 or 7 ?", Budget.rate(0.1));
        assertThat(noDigits.text()).isEqualTo("?");

        // A sentencepiece word holding a force token keeps that part when it is dropped.
        Llmlingua2FakeTagger xlmr = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.sentencepiece(), 64,
                Llmlingua2FakeTagger.wordList(Set.of("Ready")));
        Compression residue = compress(create(xlmr, config("mean", List.of("?", ","), true, true, "none")),
                "Ready now, are you?", Budget.threshold(0.5));
        assertThat(residue.text()).isEqualTo("Ready,?");
        assertThat(word(residue, "now,").kept()).isFalse();
    }

    @Test
    void repeatedForcedTokensLeftByDroppingCollapse() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                Llmlingua2FakeTagger.wordList(Set.of("alpha", "omega")));
        String text = "alpha, beta, gamma, delta, omega";
        Compression collapsed = compress(create(tagger, config("mean", List.of(","), true, true, "none")), text,
                Budget.threshold(0.5));
        Compression repeated = compress(create(tagger, config("mean", List.of(","), true, false, "none")), text,
                Budget.threshold(0.5));
        assertThat(collapsed.text()).isEqualTo("alpha, omega");
        assertThat(repeated.text()).isEqualTo("alpha,,,, omega");
        assertThat(collapsed.words()).filteredOn(w -> w.word().equals(",")).extracting(WordScore::kept)
                .containsExactly(true, false, false, false);
        // Commas side by side in the original are not "left by dropping".
        assertThat(compress(create(tagger, config("mean", List.of(","), true, true, "none")), "alpha,, omega",
                Budget.threshold(0.5)).text()).isEqualTo("alpha,, omega");
    }

    @Test
    void lineBreaksSurviveDroppedWordsAndKeptWordsKeepTheirSpacing() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(new ByteTokenizer(), 64,
                Llmlingua2FakeTagger.wordList(Set.of("# Title", "Title", "first", "second", "third")));
        String text = "# Title\n\nfirst  point here\nsecond point\n- third";
        Compression forced = compress(create(tagger), text, Budget.threshold(0.5));
        assertThat(forced.text()).isEqualTo("Title\n\nfirst\nsecond\nthird");
        Compression unforced = compress(create(tagger, config("mean", List.of(), true, true, "none")), text,
                Budget.threshold(0.5));
        assertThat(unforced.text()).isEqualTo("Title\n\nfirst\nsecond third");
    }

    @Test
    void aBudgetBelowTheForcedTokensKeepsThemAndSaysSo() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                (word, piece, index) -> 0.5);
        Compression c = compress(create(tagger), "in 1999 and 2024 and 31337", Budget.tokens(2));
        assertThat(c.text()).isEqualTo("1999 2024 31337");
        assertThat(c.compressedTokens()).isGreaterThan(2);
        assertThat((List<?>) c.info().get("warnings")).singleElement().asString()
                .contains("budget of 2 tokens is below the").contains("force-tokens, keep-digits");
    }

    @Test
    void infoNamesMethodModelBudgetAndTimings() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                Llmlingua2FakeTagger.hashed());
        Compression c = compress(create(tagger), "a short text to compress.", Budget.rate(0.5));
        assertThat(c.info()).containsEntry("method", "llmlingua2").containsEntry("model", "fake-tagger")
                .containsEntry("budget", "rate 0.5").containsEntry("word_score", "mean")
                .containsEntry("keep_label", "keep").containsEntry("chunks", 1).containsEntry("structure", "none")
                .containsEntry("force_tokens", List.of("\n")).containsKeys("forward_ms", "total_ms", "warnings");
        assertThat((double) c.info().get("forward_ms")).isLessThanOrEqualTo((double) c.info().get("total_ms"));
    }

    @Test
    void label1IsTheKeepLabelOfAnUnnamedExport() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                List.of("LABEL_0", "LABEL_1"), Llmlingua2FakeTagger.wordList(Set.of("kept")));
        Compressor compressor = create(tagger,
                new Llmlingua2Config("tagger", "LABEL_1", "mean", List.of(), true, true, "none", "none", null, 1.0));
        assertThat(compress(compressor, "kept gone", Budget.threshold(0.5)).text()).isEqualTo("kept");
    }

    @Test
    void emptyAndBlankContexts() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(new ByteTokenizer(), 64, Llmlingua2FakeTagger.hashed());
        Compression empty = compress(create(tagger), "", Budget.rate(0.5));
        assertThat(empty.text()).isEmpty();
        assertThat(empty.achievedRate()).isEqualTo(1.0);
        assertThat(compress(create(tagger), "  \n ", Budget.rate(0.5)).words()).isEmpty();
        assertThat(tagger.calls).isEmpty();
    }

    @Test
    void cancellationAndInputLimitsAreHonoured() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(new ByteTokenizer(), 64, Llmlingua2FakeTagger.hashed());
        Compressor compressor = create(tagger);
        assertThatThrownBy(() -> compressor.compress(new CompressionRequest("some text", null, Budget.rate(0.5),
                RunLimits.DEFAULT.withCancellation(() -> true)))).isInstanceOf(CancelledException.class);
        assertThatThrownBy(() -> compressor.compress(new CompressionRequest("some text", null, Budget.rate(0.5),
                new RunLimits(4, null, null)))).hasMessageContaining("the context has 9 tokens");
    }

    @Test
    void postProcessingIsLinear() throws Exception {
        // 50k words through ~600 chunks: the compressor's own work must stay far below quadratic.
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 512,
                Llmlingua2FakeTagger.hashed());
        StringBuilder text = new StringBuilder();
        int sentence = 0;
        while (text.length() < 400_000) {
            text.append(Llmlingua2Texts.prose(sentence++, 20)).append('\n');
        }
        Compression c = compress(create(tagger), text.toString(), Budget.rate(0.4));
        assertThat(c.words().size()).isGreaterThan(50_000);
        assertThat(c.achievedRate()).isCloseTo(0.4, within(0.02));
        assertThat(tagger.calls).hasSize(1);
        assertThat((int) c.info().get("chunks")).isGreaterThan(100);
    }
}
