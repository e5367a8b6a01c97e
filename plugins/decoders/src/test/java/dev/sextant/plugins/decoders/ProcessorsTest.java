package dev.sextant.plugins.decoders;

import dev.sextant.spi.testing.ByteTokenizer;
import dev.sextant.spi.testing.ScriptedModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.LogitsProcessor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessorsTest {

    private static final float NEG = Float.NEGATIVE_INFINITY;
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    private static float[] apply(LogitsProcessor processor, int[] tokens, int promptLength, float[] scores) {
        float[] out = scores.clone();
        processor.process(0, tokens, promptLength, out);
        return out;
    }

    private static int[] ids(String text) {
        return ByteTokenizer.ids(text);
    }

    // --- repetition-penalty

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOfSeenTokensOnce() {
        float[] scores = {2f, -2f, 1f, 0.5f, 0f};
        int[] tokens = {0, 1, 1, 4, 0};

        float[] out = apply(new RepetitionPenaltyProcessor(2.0), tokens, 1, scores);

        assertThat(out).containsExactly(1f, -4f, 1f, 0.5f, 0f);
    }

    @Test
    void repetitionPenaltyCountsThePromptToo() {
        float[] out = apply(new RepetitionPenaltyProcessor(1.5), new int[] {2, 3}, 2, new float[] {3f, 3f, 3f, 3f});

        assertThat(out).containsExactly(3f, 3f, 2f, 2f);
    }

    @Test
    void repetitionPenaltyMakesGreedyLeaveALoop() throws SextantException {
        // The model slightly prefers to repeat the last letter; with the penalty the runner-up wins.
        ScriptedModel model = new ScriptedModel(1024, (tokens, length) -> {
            int last = tokens[tokens.length - 1];
            float[] scores = Generate.only('a', 1f, 'b', 1f, 'c', 1f, 'd', 1f);
            scores[last] = 1.5f;
            return scores;
        });

        assertThat(Generate.text(new GreedyDecoder(), model, "a", 4, null)).isEqualTo("aaaa");
        assertThat(Generate.text(new GreedyDecoder(), model, "a", 3, null, new RepetitionPenaltyProcessor(2.0)))
                .isEqualTo("bcd");
    }

    // --- no-repeat-ngram

    @Test
    void noRepeatNGramBansTheTokenThatWouldRepeatAnNGram() {
        float[] scores = new float[128];
        int[] tokens = ids("abcab");

        float[] trigram = apply(new NoRepeatNGramProcessor(3), tokens, 2, scores);
        float[] bigram = apply(new NoRepeatNGramProcessor(2), tokens, 2, scores);
        float[] unigram = apply(new NoRepeatNGramProcessor(1), tokens, 2, scores);

        assertThat(banned(trigram)).containsExactly((int) 'c');
        assertThat(banned(bigram)).containsExactly((int) 'c');
        assertThat(banned(unigram)).containsExactly((int) 'a', (int) 'b', (int) 'c');
        assertThat(banned(apply(new NoRepeatNGramProcessor(4), tokens, 2, scores))).isEmpty();
    }

    @Test
    void noRepeatNGramFindsEveryEarlierOccurrenceOfThePrefix() {
        // "ab" was followed by c and by d; both are banned after a final "ab".
        float[] out = apply(new NoRepeatNGramProcessor(3), ids("abcabdab"), 1, new float[128]);

        assertThat(banned(out)).containsExactly((int) 'c', (int) 'd');
    }

    @Test
    void noRepeatNGramDoesNothingOnAShortRow() {
        assertThat(banned(apply(new NoRepeatNGramProcessor(3), ids("a"), 1, new float[128]))).isEmpty();
    }

    @Test
    void noRepeatNGramKeepsEveryNGramOfTheTextUnique() throws SextantException {
        // The model wants to write "abc" forever.
        ScriptedModel model = new ScriptedModel(1024, (tokens, length) -> {
            int last = tokens[tokens.length - 1];
            float[] scores = new float[ByteTokenizer.VOCAB];
            java.util.Arrays.fill(scores, NEG);
            for (char c = 'a'; c <= 'z'; c++) {
                scores[c] = 0f;
            }
            scores[last == 'a' ? 'b' : last == 'b' ? 'c' : 'a'] = 5f;
            return scores;
        });

        String text = Generate.text(new GreedyDecoder(), model, "abc", 30, null, new NoRepeatNGramProcessor(3));

        String all = "abc" + text;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i + 3 <= all.length(); i++) {
            assertThat(seen.add(all.substring(i, i + 3))).as("trigram %s repeats in %s", all.substring(i, i + 3), all)
                    .isTrue();
        }
        assertThat(text).hasSize(30);
    }

    // --- banned-words

    @Test
    void bannedWordsBanASingleTokenWordAlways() {
        LogitsProcessor bans = new BannedWordsProcessor(List.of("x")).prepare(tokenizer);

        assertThat(banned(apply(bans, ids("abc"), 1, new float[128]))).containsExactly((int) 'x');
    }

    @Test
    void bannedWordsBanTheLastTokenOfAPhraseOnlyAfterTheRestOfIt() {
        LogitsProcessor bans = new BannedWordsProcessor(List.of("cat")).prepare(tokenizer);

        assertThat(banned(apply(bans, ids("the ca"), 2, new float[128]))).containsExactly((int) 't');
        assertThat(banned(apply(bans, ids("the c"), 2, new float[128]))).isEmpty();
        assertThat(banned(apply(bans, ids("a"), 1, new float[128]))).isEmpty();
    }

    @Test
    void bannedWordsAlsoBanTheSpellingAfterASpace() {
        // A tokenizer where " dog" is one token (id 200) and "dog" is three.
        ByteTokenizer spaced = new ByteTokenizer() {
            @Override
            public dev.sextant.spi.model.Encoding encode(String text, boolean addSpecialTokens) {
                if (text.equals(" dog")) {
                    return new dev.sextant.spi.model.Encoding(new int[] {200}, new String[] {" dog"}, new int[] {0},
                            new int[] {4}, new int[] {0});
                }
                return super.encode(text, addSpecialTokens);
            }
        };
        LogitsProcessor bans = new BannedWordsProcessor(List.of("dog")).prepare(spaced);

        assertThat(banned(apply(bans, ids("a"), 1, new float[256]))).containsExactly(200);
        assertThat(banned(apply(bans, ids("do"), 1, new float[256]))).containsExactly((int) 'g', 200);
    }

    @Test
    void bannedWordsNeverAppearWhateverTheDecoder() throws SextantException {
        // The model wants to write "the cat sat on the cat" and falls back to spaces and letters.
        String script = "the cat sat on the cat";
        ScriptedModel model = new ScriptedModel(1024, (tokens, length) -> {
            int done = tokens.length - length;
            float[] scores = new float[ByteTokenizer.VOCAB];
            java.util.Arrays.fill(scores, NEG);
            for (char c = 'a'; c <= 'z'; c++) {
                scores[c] = 0f;
            }
            scores[' '] = 1f;
            scores[done < script.length() ? script.charAt(done) : ByteTokenizer.EOS] = 6f;
            return scores;
        });
        LogitsProcessor bans = new BannedWordsProcessor(List.of("cat", "on the"));

        String greedy = Generate.text(new GreedyDecoder(), model, ">", 40, null, bans);
        assertThat(greedy).startsWith("the ca").doesNotContain("cat").doesNotContain("on the");
        SamplingDecoder sampler = (SamplingDecoder) new SamplingDecoderFactory()
                .create(new SamplingConfig(1.5, 0, 1, 0, 0), null);
        for (long seed = 0; seed < 10; seed++) {
            assertThat(Generate.text(sampler, model, ">", 40, seed, bans)).doesNotContain("cat")
                    .doesNotContain("on the");
        }
    }

    private static List<Integer> banned(float[] scores) {
        List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == NEG) {
                ids.add(i);
            }
        }
        return ids;
    }
}
