package dev.sextant.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptLookupDecoderTest {

    static final String SENTENCE = "kiamcha is 93 years old . kiamcha bought a large white scarf and a small red"
            + " ball for the dog of tom .";

    /** A model that writes, after "fixed :", the given script for the prompt's text, then EOS. */
    static TestLm writing(Map<String, String> scripts) {
        return writing(4096, scripts);
    }

    static TestLm writing(int maxPositions, Map<String, String> scripts) {
        return writing(maxPositions, scripts, new ByteTokenizer());
    }

    static TestLm writing(int maxPositions, Map<String, String> scripts, Tokenizer t) {
        return new TestLm(maxPositions, (tokens, promptLength) -> {
            String prompt = t.decode(Arrays.copyOf(tokens, promptLength), false);
            int[] script = t.encode(scripts.getOrDefault(prompt, ""), false).ids();
            int done = tokens.length - promptLength;
            float[] scores = new float[ByteTokenizer.VOCAB];
            // every token gets a score, so that verification really compares argmaxes
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (i * 7 % 13) / 13f;
            }
            scores[done < script.length ? script[done] : ByteTokenizer.EOS] = 5f;
            return scores;
        }, t);
    }

    static PromptLookupDecoder lookup(int draft) {
        return new PromptLookupDecoder(1, 3, draft, true);
    }

    @Test
    void findsTheTokensAfterTheEarliestOccurrenceOfTheLongestSuffix() {
        assertThat(PromptLookupDrafter.lookup(new int[] {1, 2, 3, 4, 1, 2}, 1, 3, 10)).containsExactly(3, 4, 1, 2);
        assertThat(PromptLookupDrafter.lookup(new int[] {1, 2, 3, 4, 1, 2}, 1, 3, 2)).containsExactly(3, 4);
        // "9 2" occurs nowhere earlier, so the 1-gram "2" is used: after its earliest occurrence comes 3
        assertThat(PromptLookupDrafter.lookup(new int[] {1, 2, 3, 9, 2}, 1, 3, 10)).containsExactly(3, 9, 2);
        assertThat(PromptLookupDrafter.lookup(new int[] {1, 2, 3, 9, 2}, 2, 3, 10)).isEmpty();
        assertThat(PromptLookupDrafter.lookup(new int[] {5, 6, 7}, 1, 3, 10)).isEmpty();
    }

    @Test
    void realignsAfterANewWordFromTheWordItReplaced() {
        // ids 10.. begin words; the text "10 1 2 11 3 12 4 13" then a new word 20 after "10 1 2"
        boolean[] starts = new boolean[32];
        for (int id = 10; id < 32; id++) {
            starts[id] = true;
        }
        int[] row = {10, 1, 2, 11, 3, 12, 4, 13, 9, 10, 1, 2, 20};
        assertThat(PromptLookupDrafter.lookup(row, 1, 3, 10)).isEmpty();
        // "10 1 2" is continued by the word "11 3"; the new word 20 replaced it, so the draft is "12 4 13 9"
        assertThat(PromptLookupDrafter.realign(row, 1, 3, 10, starts)).containsExactly(12, 4, 13, 9, 10, 1, 2);
        assertThat(PromptLookupDrafter.realign(row, 1, 3, 2, starts)).containsExactly(12, 4);
        // a new word of two tokens (20 21): the row without its last token ends in 20, found nowhere,
        // so the two last tokens are set aside
        int[] twoTokens = {10, 1, 2, 11, 3, 12, 4, 13, 9, 10, 1, 2, 20, 5};
        assertThat(PromptLookupDrafter.realign(twoTokens, 1, 3, 10, starts)).containsExactly(12, 4, 13, 9, 10, 1, 2);
        // no word start within REALIGN_SKIP tokens after the replaced word's start: nothing
        assertThat(PromptLookupDrafter.realign(new int[] {10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 10, 20}, 1, 3, 10, starts))
                .isEmpty();
        assertThat(new PromptLookupDrafter(1, 3, null).propose(row, 4, 10, null).tokens()).isEmpty();
        assertThat(new PromptLookupDrafter(1, 3, starts).propose(row, 4, 10, null).tokens()).startsWith(12, 4);
    }

    @Test
    void realignmentSavesACallPerEditAndChangesNoToken() throws SextantException {
        // one token per word, as a BPE vocabulary has most words whole: the corrected words are new tokens
        String prompt = "fix : " + SENTENCE.replace("years", "yaers").replace("white", "whtie") + " fixed :";
        String target = " " + SENTENCE;
        WordTokenizer words = new WordTokenizer(prompt, target);
        TestLm plain = writing(4096, Map.of(prompt, target), words);
        TestLm realigned = writing(4096, Map.of(prompt, target), words);

        Generation without = BeamSearchDecoderTest.run(new PromptLookupDecoder(1, 3, 64, false), plain, List.of(prompt),
                300, List.of());
        Generation with = BeamSearchDecoderTest.run(new PromptLookupDecoder(1, 3, 64, true), realigned,
                List.of(prompt), 300, List.of());

        BeamSearchDecoderTest.assertSameSequence(with.sequences().get(0), without.sequences().get(0));
        assertThat(with.sequences().get(0).text()).isEqualTo(target);
        // a call per edit saved: after "years" and after "white" the draft goes on at "old" and at "scarf"
        assertThat(realigned.calls).isEqualTo(plain.calls - 2);
    }

    @Test
    void wordStartsAreTheTokensWhoseTextBeginsWithWhitespace() {
        boolean[] starts = PromptLookupDecoder.wordStarts(new ByteTokenizer());
        assertThat(starts[' ']).isTrue();
        assertThat(starts['\n']).isTrue();
        assertThat(starts['a']).isFalse();
        assertThat(starts[ByteTokenizer.EOS]).isFalse();
    }

    @Test
    void copiesWithAnEditInFarFewerModelCallsThanTokens() throws SextantException {
        String prompt = "fix : " + SENTENCE.replace("years", "yaers") + " fixed :";
        String target = " " + SENTENCE;
        TestLm model = writing(Map.of(prompt, target));

        Generation generation = BeamSearchDecoderTest.run(lookup(10), model, List.of(prompt), 300, List.of());

        assertThat(generation.sequences().get(0).text()).isEqualTo(target);
        int tokens = generation.sequences().get(0).tokenIds().length;
        assertThat(model.calls).isLessThan(tokens / 3);
        Map<String, Double> metrics = generation.metrics();
        assertThat(metrics.get("generated_tokens")).isEqualTo((double) tokens);
        assertThat(metrics.get("model_calls")).isEqualTo((double) model.calls);
        assertThat(metrics.get("accepted_tokens")).isGreaterThan(tokens * 0.6);
        assertThat(metrics.get("acceptance_rate")).isBetween(0.3, 1.0);
        assertThat(model.rewinds).isPositive();
        assertThat(model.appendAlls).isPositive();
    }

    @Test
    void isGreedyExactlyOnCopiesAndOnTextThatNeverRepeats() throws SextantException {
        List<String> prompts = new ArrayList<>();
        Map<String, String> scripts = new java.util.HashMap<>();
        String[] edits = {"years", "white", "dog", "small", "kiamcha"};
        for (String edit : edits) {
            String prompt = "fix : " + SENTENCE.replace(edit, new StringBuilder(edit).reverse()) + " fixed :";
            prompts.add(prompt);
            scripts.put(prompt, " " + SENTENCE.replace(edit, edit.toUpperCase()));
        }
        TestLm copy = writing(scripts);
        TestLm hashed = TestLm.hashed(1024, 2.0);
        LogitsProcessor[][] processorSets = {{}, {new RepetitionPenaltyProcessor(1.3)},
            {new NoRepeatNGramProcessor(3)}};
        for (TestLm model : List.of(copy, hashed)) {
            for (LogitsProcessor[] processors : processorSets) {
                for (List<String> stops : List.of(List.<String>of(), List.of("dog", "x"))) {
                    for (int draft : new int[] {1, 4, 10}) {
                        Generation greedy = BeamSearchDecoderTest.run(new GreedyDecoder(), model, prompts, 120, stops,
                                processors);
                        Generation lookup = BeamSearchDecoderTest.run(lookup(draft), model, prompts, 120, stops,
                                processors);
                        for (int p = 0; p < prompts.size(); p++) {
                            BeamSearchDecoderTest.assertSameSequence(lookup.sequences().get(p),
                                    greedy.sequences().get(p));
                        }
                    }
                }
            }
        }
    }

    @Test
    void maxNewTokensAndTheContextCapTheDrafts() throws SextantException {
        String prompt = "abcabcabcabc";
        TestLm model = writing(Map.of(prompt, "abcabcabcabcabcabc"));
        Generation capped = BeamSearchDecoderTest.run(lookup(10), model, List.of(prompt), 7, List.of());
        assertThat(capped.sequences().get(0).text()).isEqualTo("abcabca");

        TestLm small = writing(20, Map.of(prompt, "abcabcabcabcabcabc"));
        Generation full = BeamSearchDecoderTest.run(lookup(10), small, List.of(prompt), 100, List.of());
        assertThat(full.sequences().get(0).tokenIds()).hasSize(8);
        assertThat(full.sequences().get(0).finishReason()).isEqualTo(dev.sextant.spi.decode.FinishReason.CONTEXT_FULL);
    }

    @Test
    void streamsEveryTokenOnceAsItIsAccepted() throws SextantException {
        String prompt = "fix : " + SENTENCE + " fixed :";
        TestLm model = writing(Map.of(prompt, " " + SENTENCE));
        StringBuilder streamed = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        Generation generation = lookup(10).generate(model, new dev.sextant.spi.decode.GenerationRequest(List.of(prompt),
                300, List.of(), List.of(), null, dev.sextant.spi.RunLimits.DEFAULT), (row, token, text) -> {
                    streamed.append(text);
                    ids.add(token);
                });

        assertThat(streamed.toString()).isEqualTo(generation.sequences().get(0).text());
        assertThat(ids).containsExactlyElementsOf(Arrays.stream(generation.sequences().get(0).tokenIds()).boxed()
                .toList());
    }
}
