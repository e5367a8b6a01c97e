package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Span;
import dev.sextant.spi.compress.WordScore;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelfInformationCompressorTest {

    private static List<String> contexts;
    private static List<List<Boolean>> keeps;
    /** Trigram models counted from the compression set's contexts: over bytes, and over BPE-like pieces. */
    private static TrigramModel bytes;
    private static TrigramModel pieces;

    @BeforeAll
    static void models() {
        contexts = EvalCorpus.field("compression", "context");
        keeps = EvalCorpus.compressionKeeps();
        bytes = new TrigramModel(new ByteTokenizer(), 1024, ByteTokenizer.EOS, contexts);
        pieces = new TrigramModel(new PieceTokenizer(), 1024, 0, contexts);
    }

    static SelfInformationCompressor compressor(TrigramModel model, String unit) throws ConfigException {
        return new SelfInformationCompressor(model, new SelfInformationConfig("lm", unit, 8, null));
    }

    static Compression compress(SelfInformationCompressor compressor, String context, Budget budget)
            throws SextantException {
        return compressor.compress(new CompressionRequest(context, null, budget, null));
    }

    /** Self-information of each token of a text, straight from the model (BOS before it). */
    static double[] information(TrigramModel model, String text) throws SextantException {
        int[] ids = model.tokenizer().encode(text, false).ids();
        int[] withBos = new int[ids.length + 1];
        withBos[0] = model.info().bosTokenId();
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        float[] lp = model.logProbabilities(List.of(withBos), RunLimits.DEFAULT)[0];
        double[] out = new double[ids.length];
        for (int t = 0; t < ids.length; t++) {
            out[t] = -lp[t + 1];
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"word", "token", "phrase", "sentence"})
    void rateBudgetsAreMetWithoutExceedingThem(String unit) throws SextantException {
        for (TrigramModel model : List.of(bytes, pieces)) {
            SelfInformationCompressor compressor = compressor(model, unit);
            double worst = 0;
            double total = 0;
            int runs = 0;
            for (double rate : new double[] {0.3, 0.5, 0.7, 0.9}) {
                for (String context : contexts.subList(0, 100)) {
                    Compression c = compress(compressor, context, Budget.rate(rate));
                    int target = (int) Math.floor(rate * c.originalTokens() + 1e-9);
                    assertThat(c.compressedTokens()).as("%s at rate %s", context, rate).isLessThanOrEqualTo(target);
                    assertThat(c.compressedTokens())
                            .isEqualTo(model.tokenizer().encode(c.text(), false).size());
                    double gap = rate - c.achievedRate();
                    worst = Math.max(worst, gap);
                    total += gap;
                    runs++;
                }
            }
            // measured: word and token units fall short by 0.2-0.4 points on average, 1.1 at worst; phrases
            // and sentences by 1.7 and 4.2 on average, 15 at worst (one unit can be a fifth of a context)
            assertThat(total / runs).as("mean shortfall, unit %s", unit).isLessThanOrEqualTo(0.05);
            if (unit.equals("word") || unit.equals("token")) {
                assertThat(worst).as("largest shortfall below the rate, unit %s", unit).isLessThanOrEqualTo(0.02);
            }
        }
    }

    @Test
    void fillerIsDroppedBeforeTheStory() throws SextantException {
        SelfInformationCompressor compressor = compressor(pieces, "word");
        int filler = 0;
        int fillerDropped = 0;
        int story = 0;
        int storyDropped = 0;
        for (int i = 0; i < contexts.size(); i++) {
            List<Boolean> gold = keeps.get(i);
            long keep = gold.stream().filter(b -> b).count();
            Compression c = compress(compressor, contexts.get(i), Budget.rate(keep / (double) gold.size()));
            assertThat(c.words()).hasSize(gold.size());
            for (int w = 0; w < gold.size(); w++) {
                boolean dropped = !c.words().get(w).kept();
                if (gold.get(w)) {
                    story++;
                    storyDropped += dropped ? 1 : 0;
                } else {
                    filler++;
                    fillerDropped += dropped ? 1 : 0;
                }
            }
        }
        // measured with the trigram model over pieces: 38% of filler words dropped, 21% of story words
        assertThat(fillerDropped / (double) filler).isGreaterThan(storyDropped / (double) story + 0.1);
    }

    @Test
    void aWordsScoreIsTheSumOfItsTokensSelfInformation() throws SextantException {
        String context = contexts.get(3);
        double[] information = information(pieces, context);
        Encoding encoding = pieces.tokenizer().encode(context, false);
        Compression c = compress(compressor(pieces, "word"), context, Budget.rate(0.5));
        assertThat(c.words()).hasSize(encoding.wordCount());
        for (int w = 0; w < encoding.wordCount(); w++) {
            double sum = 0;
            for (int t = 0; t < encoding.size(); t++) {
                if (encoding.wordIds()[t] == w) {
                    sum += information[t];
                }
            }
            WordScore word = c.words().get(w);
            assertThat(word.keepScore()).as(word.word()).isCloseTo(sum, within(1e-4));
            assertThat(context.substring(word.span().start(), word.span().end())).isEqualTo(word.word());
        }
        assertThat(c.words()).extracting(WordScore::word).containsExactly(context.split(" "));
        assertThat(c.originalTokens()).isEqualTo(encoding.size());
    }

    @Test
    void theMostInformativeWordsAreKept() throws SextantException {
        String context = contexts.get(5);
        Compression c = compress(compressor(pieces, "word"), context, Budget.rate(0.5));
        double lowestKept = c.words().stream().filter(WordScore::kept).mapToDouble(WordScore::keepScore).min()
                .orElseThrow();
        double highestDropped = c.words().stream().filter(w -> !w.kept()).mapToDouble(WordScore::keepScore).max()
                .orElseThrow();
        // greedy by score, then smaller words fill the rest: every dropped word above the lowest kept one
        // is one that no longer fitted
        long droppedAbove = c.words().stream().filter(w -> !w.kept() && w.keepScore() > lowestKept).count();
        assertThat(droppedAbove).isLessThanOrEqualTo(c.words().size() / 4);
        assertThat(c.words().stream().filter(WordScore::kept).mapToDouble(WordScore::keepScore).max().orElseThrow())
                .isGreaterThanOrEqualTo(highestDropped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"word", "token", "phrase", "sentence"})
    void unitsAreKeptOrDroppedWholeAndSpansTileTheText(String unit) throws SextantException {
        SelfInformationCompressor compressor = compressor(pieces, unit);
        for (String context : contexts.subList(10, 40)) {
            Compression c = compress(compressor, context, Budget.rate(0.5));
            List<Span> all = new ArrayList<>(c.kept());
            all.addAll(c.dropped());
            all.sort(java.util.Comparator.comparingInt(Span::start));
            // kept and dropped alternate, cover every non-space character, and never overlap
            StringBuilder covered = new StringBuilder(" ".repeat(context.length()));
            for (int i = 0; i < all.size(); i++) {
                Span span = all.get(i);
                if (i > 0) {
                    // token units can cut inside a word, so spans may touch; they never overlap
                    assertThat(span.start()).isGreaterThanOrEqualTo(all.get(i - 1).end());
                    assertThat(c.kept().contains(span)).isNotEqualTo(c.kept().contains(all.get(i - 1)));
                }
                covered.replace(span.start(), span.end(), context.substring(span.start(), span.end()));
            }
            assertThat(covered.toString()).isEqualTo(context);
            // the compressed text is the kept spans joined by single spaces
            assertThat(c.text()).isEqualTo(String.join(" ", c.kept().stream()
                    .map(s -> context.substring(s.start(), s.end())).toList()));
            // no word is cut (token units may cut words, never characters): each lies inside one kept or one
            // dropped span, as its flag says
            for (WordScore word : unit.equals("token") ? List.<WordScore>of() : c.words()) {
                List<Span> home = word.kept() ? c.kept() : c.dropped();
                assertThat(home).anySatisfy(s -> assertThat(s.start() <= word.span().start()
                        && word.span().end() <= s.end()).isTrue());
            }
        }
    }

    @Test
    void phrasesEndAtPunctuationAndSentencesAtSentenceEnds() {
        String text = "in fact , tumdriam has a small blue key . one sunny morning , tumdriam owns a horse !\nnext"
                + " line (really.) ok";
        Encoding encoding = new ByteTokenizer().encode(text, false);
        assertThat(unitTexts("phrase", text, encoding)).containsExactly("in fact ,", "tumdriam has a small blue key .",
                "one sunny morning ,", "tumdriam owns a horse !", "next line (really.)", "ok");
        assertThat(unitTexts("sentence", text, encoding)).containsExactly("in fact , tumdriam has a small blue key .",
                "one sunny morning , tumdriam owns a horse !", "next line (really.)", "ok");
        assertThat(unitTexts("word", text, encoding)).startsWith("in", "fact", ",", "tumdriam");
    }

    @Test
    void tokenUnitsNeverCutACharacter() throws SextantException {
        String context = "caf\u00e9 na\u00efve \u00fcber fa\u00e7ade r\u00e9sum\u00e9 \ud83d\ude00 ok";
        TrigramModel model = new TrigramModel(new ByteTokenizer(), 64, ByteTokenizer.EOS, List.of(context));
        Encoding encoding = model.tokenizer().encode(context, false);
        List<SelfInformationUnits.Unit> units = SelfInformationUnits.split("token", context, encoding);
        assertThat(units.size()).isLessThan(encoding.size());
        assertThat(units).filteredOn(u -> u.start() == context.indexOf('\u00e9')).singleElement()
                .satisfies(u -> assertThat(u.tokens()).isEqualTo(2));
        for (double rate : new double[] {0.2, 0.5, 0.8}) {
            Compression c = compress(compressor(model, "token"), context, Budget.rate(rate));
            assertThat(c.text()).doesNotContain("\ufffd");
            for (Span span : c.kept()) {
                assertThat(Character.isLowSurrogate(context.charAt(span.start()))).isFalse();
            }
        }
    }

    @Test
    void tokenBudgetsKeepAtMostThatManyTokens() throws SextantException {
        SelfInformationCompressor compressor = compressor(pieces, "word");
        String context = contexts.get(7);
        for (int tokens : new int[] {1, 5, 20, 40}) {
            Compression c = compress(compressor, context, Budget.tokens(tokens));
            assertThat(c.compressedTokens()).isLessThanOrEqualTo(tokens).isGreaterThanOrEqualTo(tokens - 2);
            assertThat(c.info()).containsEntry("target_tokens", tokens);
        }
        Compression all = compress(compressor, context, Budget.tokens(100_000));
        assertThat(all.text()).isEqualTo(context);
        assertThat(all.dropped()).isEmpty();
        assertThat(all.achievedRate()).isEqualTo(1.0);
        Compression rateOne = compress(compressor, "  " + context + "\n", Budget.rate(1.0));
        assertThat(rateOne.text()).isEqualTo(context);
    }

    @Test
    void thresholdBudgetsKeepUnitsWhoseInformationPerTokenReachesIt() throws SextantException {
        SelfInformationCompressor compressor = compressor(pieces, "word");
        String context = contexts.get(11);
        Encoding encoding = pieces.tokenizer().encode(context, false);
        int[] tokensPerWord = new int[encoding.wordCount()];
        for (int w : encoding.wordIds()) {
            tokensPerWord[w]++;
        }
        for (double threshold : new double[] {1.0, 2.5, 4.0}) {
            Compression c = compress(compressor, context, Budget.threshold(threshold));
            for (int w = 0; w < c.words().size(); w++) {
                WordScore word = c.words().get(w);
                assertThat(word.kept()).as(word.word()).isEqualTo(word.keepScore() / tokensPerWord[w] >= threshold);
            }
            assertThat(c.info()).containsEntry("budget", "threshold " + threshold).doesNotContainKey("target_tokens");
        }
    }

    @Test
    void longContextsAreScoredInChunksCarryingPrecedingText() throws SextantException {
        String context = String.join(" ", contexts.subList(0, 6));
        TrigramModel small = new TrigramModel(new PieceTokenizer(), 40, 0, contexts);
        // the same counts with room for the whole context
        TrigramModel large = new TrigramModel(small.tokenizer(), 4096, 0, contexts);
        int n = small.tokenizer().encode(context, false).size();
        assertThat(n).isGreaterThan(200);
        SelfInformationCompressor chunked = new SelfInformationCompressor(small,
                new SelfInformationConfig("lm", "word", 3, 8));
        Compression c = compress(chunked, context, Budget.rate(0.4));
        Compression whole = compress(compressor(large, "word"), context, Budget.rate(0.4));
        // a trigram looks two tokens back, so eight tokens of carried text make chunking exact
        assertThat(c.words()).isEqualTo(whole.words());
        assertThat(c.text()).isEqualTo(whole.text());
        int chunks = 1 + (int) Math.ceil((n - 39) / 32.0);
        assertThat(c.info()).containsEntry("chunks", chunks).containsEntry("model_calls", (chunks + 2) / 3)
                .containsEntry("context_window", 8).containsEntry("conditioning", "bos");
        assertThat(small.calls).hasSize((chunks + 2) / 3);
        assertThat(small.calls.stream().flatMap(List::stream)).allSatisfy(seq -> assertThat(seq.length)
                .isLessThanOrEqualTo(40));
        assertThat(large.calls).hasSize(1);
        // without carried text each chunk's first tokens lose their history, and scores change
        Compression bare = compress(new SelfInformationCompressor(small, new SelfInformationConfig("lm", "word", 3,
                0)), context, Budget.rate(0.4));
        assertThat(bare.words()).isNotEqualTo(whole.words());
        // the default window is a quarter of the model's positions
        assertThat(compress(compressor(small, "word"), context, Budget.rate(0.4)).info())
                .containsEntry("context_window", 10);
    }

    @Test
    void theContextIsScoredAloneWhateverTheQuestion() throws SextantException {
        SelfInformationCompressor compressor = compressor(pieces, "word");
        String context = contexts.get(2);
        Compression without = compressor.compress(new CompressionRequest(context, null, Budget.rate(0.5), null));
        Compression with = compressor.compress(new CompressionRequest(context, "what colour is the key ?",
                Budget.rate(0.5), null));
        assertThat(with.text()).isEqualTo(without.text());
        assertThat(with.words()).isEqualTo(without.words());
        assertThat(with.info()).containsKey("question");
        assertThat(without.info()).containsEntry("method", "self-information").containsEntry("unit", "word")
                .containsEntry("model", "trigram").containsEntry("budget", "rate 0.5");
    }

    @Test
    void withoutABosTokenTheFirstTokenGetsTheMeanOfTheOthers() throws SextantException {
        TrigramModel noBos = new TrigramModel(new ByteTokenizer(), 1024, -1, contexts);
        String context = contexts.get(0);
        Compression c = compress(compressor(noBos, "token"), context, Budget.rate(0.5));
        assertThat(c.info()).containsEntry("conditioning", "none");
        assertThat(c.words()).allSatisfy(w -> assertThat(w.keepScore()).isFinite());
    }

    @Test
    void badInputsAndCancellationAreReported() throws ConfigException {
        SelfInformationCompressor compressor = compressor(pieces, "word");
        assertThatThrownBy(() -> compress(compressor, "   ", Budget.rate(0.5))).isInstanceOf(InputException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> compressor.compress(new CompressionRequest(contexts.get(0), null, Budget.rate(0.5),
                new RunLimits(10, null, null)))).isInstanceOf(InputException.class).hasMessageContaining("limit of 10");
        assertThatThrownBy(() -> compressor.compress(new CompressionRequest(contexts.get(0), null, Budget.rate(0.5),
                RunLimits.DEFAULT.withCancellation(() -> true)))).isInstanceOf(CancelledException.class);
    }

    @Test
    void optionsImpossibleWithTheModelAreConfigErrors() {
        assertThatThrownBy(() -> compressor(pieces, "paragraph"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("unit"))
                .hasMessageContaining("[token, word, phrase, sentence]");
        assertThatThrownBy(() -> new SelfInformationCompressor(pieces, new SelfInformationConfig("lm", "word", 8,
                1024))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key())
                        .isEqualTo("context-window")).hasMessageContaining("between 0 and 1023");
        assertThatThrownBy(() -> new SelfInformationCompressor(pieces, new SelfInformationConfig("lm", "word", 0,
                null))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("max-batch"));
    }

    private static List<String> unitTexts(String unit, String text, Encoding encoding) {
        return SelfInformationUnits.split(unit, text, encoding).stream().filter(u -> !u.blank())
                .map(u -> text.substring(u.start(), u.end())).toList();
    }

}
