package dev.sextant.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.FinishReason;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BeamSearchDecoderTest {

    /** Greedy takes 'a' (0.6) and then 'e' (0.4): 0.24; the path through 'b' then 'f' has 0.4 x 0.9 = 0.36. */
    static final Map<String, Map<Character, Double>> MYOPIC = Map.of(
            "", Map.of('a', 0.6, 'b', 0.4),
            "a", Map.of('c', 0.3, 'd', 0.3, 'e', 0.4),
            "b", Map.of('f', 0.9, 'g', 0.1));

    /**
     * "a" then EOS has probability 0.5 x 0.8 = 0.4 over 2 tokens; "bfg" then EOS 0.5 x 1 x 0.6 = 0.3 over 4
     * tokens: without length normalisation "a" wins (ln 0.4 > ln 0.3), with length-penalty 1 "bfg" does
     * (ln 0.3 / 4 = -0.301 > ln 0.4 / 2 = -0.458).
     */
    static final Map<String, Map<Character, Double>> SHORT_OR_LONG = Map.of(
            "", Map.of('a', 0.5, 'b', 0.5),
            "a", Map.of('$', 0.8, 'z', 0.2),
            "b", Map.of('f', 1.0),
            "bf", Map.of('g', 0.6, 'h', 0.4));

    static BeamSearchDecoder beam(int beams, double lengthPenalty, EarlyStopping early, int numReturn) {
        return new BeamSearchDecoder(beams, 1, 0, lengthPenalty, early, numReturn);
    }

    static Generation run(Decoder decoder, LanguageModel model, List<String> prompts, int maxNewTokens,
            List<String> stops, LogitsProcessor... processors) throws SextantException {
        return decoder.generate(model, new GenerationRequest(prompts, maxNewTokens, stops, List.of(processors), null,
                RunLimits.DEFAULT), TokenListener.NONE);
    }

    static Generation run(Decoder decoder, LanguageModel model, String prompt) throws SextantException {
        return run(decoder, model, List.of(prompt), 20, List.of());
    }

    static void assertSameSequence(GeneratedSequence actual, GeneratedSequence expected) {
        assertThat(actual.text()).isEqualTo(expected.text());
        assertThat(actual.tokenIds()).containsExactly(expected.tokenIds());
        assertThat(actual.tokenLogProbs()).containsExactly(expected.tokenLogProbs());
        assertThat(actual.finishReason()).isEqualTo(expected.finishReason());
        assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
    }

    @Test
    void findsTheMoreLikelySequenceThatGreedyMisses() throws SextantException {
        TestLm model = TestLm.probabilities(MYOPIC);

        assertThat(run(new GreedyDecoder(), model, "x").sequences().get(0).text()).isEqualTo("ae");
        GeneratedSequence best = run(beam(2, 1.0, EarlyStopping.FALSE, 1), model, "x").sequences().get(0);
        assertThat(best.text()).isEqualTo("bf");
        assertThat(best.finishReason()).isEqualTo(FinishReason.EOS);
        // b, f, EOS: ln(0.4 x 0.9 x 1) over 3 tokens
        assertThat(best.score()).isCloseTo(Math.log(0.36) / 3, within(1e-5));
        assertThat(best.tokenLogProbs()[0]).isCloseTo((float) Math.log(0.4), within(1e-5f));
    }

    @Test
    void lengthPenaltyChangesTheChoiceAsComputed() throws SextantException {
        TestLm model = TestLm.probabilities(SHORT_OR_LONG);

        GeneratedSequence plain = run(beam(2, 0, EarlyStopping.FALSE, 1), model, "x").sequences().get(0);
        assertThat(plain.text()).isEqualTo("a");
        assertThat(plain.score()).isCloseTo(Math.log(0.4), within(1e-5));
        GeneratedSequence normalised = run(beam(2, 1, EarlyStopping.FALSE, 1), model, "x").sequences().get(0);
        assertThat(normalised.text()).isEqualTo("bfg");
        assertThat(normalised.score()).isCloseTo(Math.log(0.3) / 4, within(1e-5));
    }

    @Test
    void returnsDistinctSequencesRankedByScore() throws SextantException {
        Generation generation = run(beam(2, 0, EarlyStopping.FALSE, 2), TestLm.probabilities(SHORT_OR_LONG), "x");

        List<GeneratedSequence> ranked = generation.candidates().get(0);
        assertThat(ranked).extracting(GeneratedSequence::text).containsExactly("a", "bfg");
        assertThat(ranked.get(0).score()).isCloseTo(Math.log(0.4), within(1e-5));
        assertThat(ranked.get(1).score()).isCloseTo(Math.log(0.3), within(1e-5));
        assertThat(generation.sequences().get(0)).isSameAs(ranked.get(0));
    }

    @Test
    void earlyStoppingTrueStopsWithTheFirstFinishedBeams() throws SextantException {
        // At step 2, "a"+EOS finishes; with true and one beam that is enough, even though "bfg" scores
        // better with length-penalty 1.
        GeneratedSequence best = run(beam(1, 1, EarlyStopping.TRUE, 1), TestLm.probabilities(SHORT_OR_LONG), "x")
                .sequences().get(0);

        assertThat(best.text()).isEqualTo("a");
    }

    @Test
    void earlyStoppingNeverKeepsSearchingWhileALongerBeamCouldWin() throws SextantException {
        // One beam, length-penalty 1: "a"+EOS (-0.458) is found at step 2 while "az" is still running (false
        // stops there, as greedy does); never continues until no beam can beat it. az+EOS scores
        // ln(0.1) / 3 = -0.77, so "a" still wins, but only after step 3.
        TestLm model = TestLm.probabilities(SHORT_OR_LONG);
        run(beam(1, 1, EarlyStopping.FALSE, 1), model, "x");
        int stepsFalse = model.appends;
        GeneratedSequence never = run(beam(1, 1, EarlyStopping.NEVER, 1), model, "x").sequences().get(0);

        assertThat(never.text()).isEqualTo("a");
        assertThat(model.appends - stepsFalse).isGreaterThan(stepsFalse);
    }

    @Test
    void oneBeamIsGreedyExactlyWithProcessorsStopsAndSeveralPrompts() throws SextantException {
        TestLm model = TestLm.hashed(1024, 1.5);
        List<String> prompts = List.of("once", "the dog", "q", "mia lives in oslo", "zz", "a b c", "tom", "x y");
        LogitsProcessor[][] processorSets = {
            {},
            {new RepetitionPenaltyProcessor(1.3)},
            {new NoRepeatNGramProcessor(2), new RepetitionPenaltyProcessor(1.1)},
        };
        for (LogitsProcessor[] processors : processorSets) {
            for (List<String> stops : List.of(List.<String>of(), List.of("e ", "q"))) {
                Generation greedy = run(new GreedyDecoder(), model, prompts, 30, stops, processors);
                Generation beam = run(beam(1, 1.0, EarlyStopping.FALSE, 1), model, prompts, 30, stops, processors);
                for (int p = 0; p < prompts.size(); p++) {
                    assertSameSequence(beam.sequences().get(p), greedy.sequences().get(p));
                }
            }
        }
    }

    @Test
    void everyPromptGetsTheSameResultAloneOrInABatch() throws SextantException {
        TestLm model = TestLm.hashed(1024, 1.0);
        List<String> prompts = List.of("once", "the dog", "q");
        BeamSearchDecoder decoder = beam(3, 1.0, EarlyStopping.FALSE, 3);
        Generation batch = run(decoder, model, prompts, 12, List.of());
        for (int p = 0; p < prompts.size(); p++) {
            Generation alone = run(decoder, model, List.of(prompts.get(p)), 12, List.of());
            List<GeneratedSequence> a = alone.candidates().get(0);
            List<GeneratedSequence> b = batch.candidates().get(p);
            assertThat(b).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertSameSequence(b.get(i), a.get(i));
                assertThat(b.get(i).score()).isEqualTo(a.get(i).score());
            }
            assertThat(b).extracting(s -> List.of(s.tokenIds())).doesNotHaveDuplicates();
            assertThat(b).extracting(GeneratedSequence::score).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        }
    }

    @Test
    void beamsAreRowsOfOneStateRearrangedByFork() throws SextantException {
        TestLm model = TestLm.probabilities(MYOPIC);

        run(beam(2, 1.0, EarlyStopping.FALSE, 1), model, List.of("x", "yy"), 20, List.of());

        assertThat(model.starts).isEqualTo(1);
        assertThat(model.closes).isEqualTo(1);
        // step 1: each prompt's one row becomes its two beams; step 2: rows are kept or swapped
        assertThat(model.forks.get(0)).containsExactly(0, 0, 1, 1);
        assertThat(model.forks).hasSize(model.appends);
        assertThat(model.forks.get(1)).hasSize(4);
    }

    @Test
    void maxNewTokensAndTheContextEndTheRunningBeams() throws SextantException {
        TestLm model = TestLm.hashed(1024, 50);
        GeneratedSequence capped = run(beam(2, 1.0, EarlyStopping.FALSE, 1), model, List.of("ab"), 5, List.of())
                .sequences().get(0);
        assertThat(capped.tokenIds()).hasSize(5);
        assertThat(capped.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);

        TestLm small = TestLm.hashed(8, 50);
        GeneratedSequence full = run(beam(2, 1.0, EarlyStopping.FALSE, 1), small, List.of("ab"), 50, List.of())
                .sequences().get(0);
        assertThat(full.tokenIds()).hasSize(6);
        assertThat(full.finishReason()).isEqualTo(FinishReason.CONTEXT_FULL);
    }

    @Test
    void streamsTheBestSequenceWhenItsPromptIsDone() throws SextantException {
        TestLm model = TestLm.probabilities(MYOPIC);
        List<String> deltas = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        Generation generation = beam(2, 1.0, EarlyStopping.FALSE, 1).generate(model, new GenerationRequest(
                List.of("x"), 20, List.of(), List.of(), null, RunLimits.DEFAULT), (row, token, text) -> {
                    rows.add(row);
                    deltas.add(text);
                });

        assertThat(String.join("", deltas)).isEqualTo(generation.sequences().get(0).text()).isEqualTo("bf");
        assertThat(rows).containsExactly(0, 0, 0); // b, f, EOS
    }

    @Test
    void stopsWhenCancelled() {
        RunLimits cancelled = RunLimits.DEFAULT.withCancellation(() -> true);
        GenerationRequest request = new GenerationRequest(List.of("x"), 10, List.of(), List.of(), null, cancelled);

        assertThatThrownBy(() -> beam(2, 1, EarlyStopping.FALSE, 1).generate(TestLm.hashed(1024, 1), request,
                TokenListener.NONE)).isInstanceOf(CancelledException.class);
    }

    @Test
    void maxNewTokensZeroGivesEmptySequences() throws SextantException {
        GeneratedSequence none = run(beam(2, 1, EarlyStopping.FALSE, 1), TestLm.hashed(1024, 1), List.of("x"), 0,
                List.of()).sequences().get(0);

        assertThat(none.tokenIds()).isEmpty();
        assertThat(none.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
    }

    @Test
    void tokenLogProbabilitiesOnlyWhenAskedForWithTheSameTokens() throws SextantException {
        TestLm model = TestLm.hashed(1024, 1.0);
        List<Decoder> decoders = List.of(beam(3, 1.0, EarlyStopping.FALSE, 2), new PromptLookupDecoder(1, 3, 5, true),
                new SpeculativeDecoder(TestLm.hashed(1024, 1.0), "draft", 3, true, 0.4, false, List.of(), 0));
        for (Decoder decoder : decoders) {
            GenerationRequest without = new GenerationRequest(List.of("once", "q"), 12, List.of(), List.of(), null,
                    RunLimits.DEFAULT, false);
            Generation lean = decoder.generate(model, without, TokenListener.NONE);
            Generation full = run(decoder, model, List.of("once", "q"), 12, List.of());
            for (int p = 0; p < 2; p++) {
                assertThat(lean.sequences().get(p).tokenLogProbs()).isEmpty();
                assertThat(full.sequences().get(p).tokenLogProbs()).hasSameSizeAs(full.sequences().get(p).tokenIds());
                assertThat(lean.sequences().get(p).tokenIds()).containsExactly(full.sequences().get(p).tokenIds());
            }
        }
    }
}
