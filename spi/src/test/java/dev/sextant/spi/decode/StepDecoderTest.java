package dev.sextant.spi.decode;

import dev.sextant.spi.testing.ByteTokenizer;
import dev.sextant.spi.testing.ScriptedModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StepDecoderTest {

    /** Highest score wins, ties to the lowest id. */
    static final class Argmax extends StepDecoder {
        @Override
        protected int choose(float[] scores, SplittableRandom random) {
            int best = 0;
            for (int i = 1; i < scores.length; i++) {
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    /** Uniform over the tokens with a finite score. */
    static final class UniformFinite extends StepDecoder {
        @Override
        protected int choose(float[] scores, SplittableRandom random) {
            int[] finite = new int[scores.length];
            int count = 0;
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] > Float.NEGATIVE_INFINITY) {
                    finite[count++] = i;
                }
            }
            return finite[random.nextInt(count)];
        }

        @Override
        protected long defaultSeed() {
            return 99L;
        }
    }

    /** Collects what a decoder streams, per row. */
    static final class Recorder implements TokenListener {
        final Map<Integer, StringBuilder> text = new TreeMap<>();
        final Map<Integer, List<Integer>> tokens = new TreeMap<>();
        final List<String> deltas = new ArrayList<>();

        @Override
        public void onToken(int row, int tokenId, String delta) {
            text.computeIfAbsent(row, r -> new StringBuilder()).append(delta);
            tokens.computeIfAbsent(row, r -> new ArrayList<>()).add(tokenId);
            deltas.add(delta);
        }

        String text(int row) {
            return text.getOrDefault(row, new StringBuilder()).toString();
        }
    }

    /** A model whose every row may continue with any lower-case letter, equally likely. */
    private static ScriptedModel letters() {
        return new ScriptedModel(1024, (tokens, promptLength) -> {
            float[] scores = new float[ByteTokenizer.VOCAB];
            Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            Arrays.fill(scores, 'a', 'z' + 1, 0f);
            return scores;
        });
    }

    private static GenerationRequest request(List<String> prompts, int maxNewTokens, List<String> stops,
            List<LogitsProcessor> processors, Long seed) {
        return new GenerationRequest(prompts, maxNewTokens, stops, processors, seed, RunLimits.DEFAULT);
    }

    private static String text(Generation generation, int row) {
        return generation.sequences().get(row).text();
    }

    @Test
    void eosEndsOneRowWhileTheOthersContinueAndForksItAway() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "ab", "q", "abcd", "r", "abc"));

        Generation generation = new Argmax().generate(model, request(List.of("p", "q", "r"), 10, List.of(),
                List.of(), null), TokenListener.NONE);

        assertThat(generation.sequences()).extracting(GeneratedSequence::text).containsExactly("ab", "abcd", "abc");
        assertThat(generation.sequences()).extracting(GeneratedSequence::finishReason)
                .containsOnly(FinishReason.EOS);
        assertThat(generation.sequences().get(0).tokenIds()).containsExactly('a', 'b', ByteTokenizer.EOS);
        // Step 3: row 0 ends, rows 1 and 2 stay as state rows 0 and 1. Step 4: request row 2 (state
        // row 1) ends, request row 1 (state row 0) stays. Step 5: the last row ends; nothing to fork.
        assertThat(model.forks).containsExactly(new int[] {1, 2}, new int[] {0});
        assertThat(model.appends).containsExactly(new int[] {'a', 'a', 'a'}, new int[] {'b', 'b', 'b'},
                new int[] {'c', 'c'}, new int[] {'d'});
        assertThat(model.closes).isEqualTo(1);
    }

    @Test
    void streamsEachRowUnderItsRequestIndexAndTheDeltasMakeTheFinalText() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "x", "q", "hello wörld", "r", "ab"));
        Recorder recorder = new Recorder();

        Generation generation = new Argmax().generate(model, request(List.of("p", "q", "r"), 20, List.of(),
                List.of(), null), recorder);

        for (int row = 0; row < 3; row++) {
            GeneratedSequence sequence = generation.sequences().get(row);
            assertThat(recorder.text(row)).isEqualTo(sequence.text());
            assertThat(recorder.tokens.get(row)).containsExactly(Arrays.stream(sequence.tokenIds()).boxed()
                    .toArray(Integer[]::new));
        }
        assertThat(text(generation, 1)).isEqualTo("hello wörld");
        assertThat(recorder.deltas).noneMatch(d -> d.contains("\uFFFD"));
    }

    @Test
    void maxNewTokensZeroGeneratesNothingAndNeverStartsTheModel() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "abc"));
        Recorder recorder = new Recorder();

        Generation generation = new Argmax().generate(model, request(List.of("p", "pp"), 0, List.of(), List.of(),
                null), recorder);

        assertThat(generation.sequences()).hasSize(2).allSatisfy(s -> {
            assertThat(s.text()).isEmpty();
            assertThat(s.tokenIds()).isEmpty();
            assertThat(s.tokenLogProbs()).isEmpty();
            assertThat(s.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
        });
        assertThat(generation.sequences().get(1).promptTokens()).isEqualTo(2);
        assertThat(model.starts).isZero();
        assertThat(recorder.deltas).isEmpty();
    }

    @Test
    void stopsAfterMaxNewTokens() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "abcdef"));

        GeneratedSequence sequence = new Argmax().generate(model, GenerationRequest.of("p", 3), TokenListener.NONE)
                .sequences().get(0);

        assertThat(sequence.text()).isEqualTo("abc");
        assertThat(sequence.tokenIds()).hasSize(3);
        assertThat(sequence.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
    }

    @Test
    void aStopStringEndsTheRowCutsItsTextAndIsNeverStreamed() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "hello END world", "q", "no stop here"));
        Recorder recorder = new Recorder();

        Generation generation = new Argmax().generate(model, request(List.of("p", "q"), 40, List.of("END"),
                List.of(), null), recorder);

        GeneratedSequence stopped = generation.sequences().get(0);
        assertThat(stopped.text()).isEqualTo("hello ");
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP_STRING);
        assertThat(stopped.tokenIds()).hasSize("hello END".length());
        assertThat(recorder.text(0)).isEqualTo("hello ");
        assertThat(text(generation, 1)).isEqualTo("no stop here");
        assertThat(model.forks).containsExactly(new int[] {1});
    }

    @Test
    void aHeldBackStopPrefixIsReleasedWhenTheRowEnds() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "an EN"));
        Recorder recorder = new Recorder();

        GeneratedSequence sequence = new Argmax().generate(model, request(List.of("p"), 40, List.of("END"), List.of(),
                null), recorder).sequences().get(0);

        assertThat(sequence.text()).isEqualTo("an EN");
        assertThat(sequence.finishReason()).isEqualTo(FinishReason.EOS);
        // The EOS event carries the held-back "EN".
        assertThat(recorder.deltas).last().isEqualTo("EN");
        assertThat(recorder.text(0)).isEqualTo("an EN");
    }

    @Test
    void stopsWhenTheContextWindowIsFull() throws SextantException {
        ScriptedModel model = new ScriptedModel(6, (tokens, length) -> {
            if (tokens.length >= 6) {
                throw new AssertionError("asked for logits past the context window");
            }
            return ScriptedModel.peaked("abcdefghij".charAt(tokens.length));
        });

        GeneratedSequence sequence = new Argmax().generate(model, GenerationRequest.of("abc", 10), TokenListener.NONE)
                .sequences().get(0);

        assertThat(sequence.text()).isEqualTo("def");
        assertThat(sequence.finishReason()).isEqualTo(FinishReason.CONTEXT_FULL);
    }

    @Test
    void refusesEmptyAndTooLongPromptsBeforeStartingTheModel() {
        ScriptedModel model = new ScriptedModel(5, (tokens, length) -> ScriptedModel.peaked('a'));

        assertThatThrownBy(() -> new Argmax().generate(model, request(List.of("ok", ""), 3, List.of(), List.of(),
                null), TokenListener.NONE)).isInstanceOf(InputException.class).hasMessageContaining("prompt 2 is empty");
        assertThatThrownBy(() -> new Argmax().generate(model, GenerationRequest.of("abcde", 3), TokenListener.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("reads at most 5");
        GenerationRequest limited = new GenerationRequest(List.of("abc"), 3, List.of(), List.of(), null,
                new RunLimits(2, null, null));
        assertThatThrownBy(() -> new Argmax().generate(model, limited, TokenListener.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("limit of 2");
        assertThat(model.starts).isZero();
    }

    @Test
    void logProbabilitiesAreTheModelsBeforeProcessors() throws SextantException {
        float[] logits = new float[ByteTokenizer.VOCAB];
        logits['a'] = 3f;
        logits['b'] = 2f;
        ScriptedModel model = new ScriptedModel(1024, (tokens, length) -> logits);
        LogitsProcessor preferB = (row, tokens, promptLength, scores) -> scores['b'] += 5f;

        GeneratedSequence sequence = new Argmax().generate(model, request(List.of("p"), 2, List.of(),
                List.of(preferB), null), TokenListener.NONE).sequences().get(0);

        assertThat(sequence.text()).isEqualTo("bb");
        double norm = Math.log(Math.exp(3) + Math.exp(2) + (ByteTokenizer.VOCAB - 2));
        assertThat(sequence.tokenLogProbs()[0]).isCloseTo((float) (2 - norm), within(1e-5f));
        assertThat(sequence.tokenLogProbs()[1]).isCloseTo((float) (2 - norm), within(1e-5f));
    }

    @Test
    void processorsArePreparedOncePerGenerationAndSeeRequestRowsAndHistories() throws SextantException {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "a", "qq", "bc"));
        AtomicInteger prepared = new AtomicInteger();
        List<String> calls = new ArrayList<>();
        LogitsProcessor spy = new LogitsProcessor() {
            @Override
            public LogitsProcessor prepare(Tokenizer tokenizer) {
                prepared.incrementAndGet();
                return (row, tokens, promptLength, scores) -> calls.add(row + ":"
                        + tokenizer.decode(Arrays.copyOf(tokens, promptLength), false) + "|"
                        + tokenizer.decode(Arrays.copyOfRange(tokens, promptLength, tokens.length), false));
            }

            @Override
            public void process(int row, int[] tokens, int promptLength, float[] scores) {
                throw new AssertionError("the unprepared processor was used");
            }
        };

        new Argmax().generate(model, request(List.of("p", "qq"), 10, List.of(), List.of(spy), null),
                TokenListener.NONE);

        assertThat(prepared).hasValue(1);
        assertThat(calls).containsExactly("0:p|", "1:qq|", "0:p|a", "1:qq|b", "1:qq|bc");
    }

    @Test
    void bansOfEveryTokenAreAnErrorThatSaysSo() {
        ScriptedModel model = ScriptedModel.writing(Map.of("p", "abc"));
        LogitsProcessor banAllAfterTwo = (row, tokens, promptLength, scores) -> {
            if (tokens.length - promptLength == 2) {
                Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            }
        };

        assertThatThrownBy(() -> new Argmax().generate(model, request(List.of("p"), 10, List.of(),
                List.of(banAllAfterTwo), null), TokenListener.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("banned every token for the prompt after 2 generated tokens");
        assertThat(model.closes).isEqualTo(1);
    }

    @Test
    void aModelWithNoFiniteLogitIsAModelError() {
        ScriptedModel model = new ScriptedModel(1024, (tokens, length) -> {
            float[] scores = new float[ByteTokenizer.VOCAB];
            Arrays.fill(scores, Float.NaN);
            return scores;
        });

        assertThatThrownBy(() -> new Argmax().generate(model, GenerationRequest.of("p", 3), TokenListener.NONE))
                .isInstanceOf(ModelException.class).hasMessageContaining("model 'scripted'");
    }

    @Test
    void cancellationStopsWithinAStepAndClosesTheState() {
        ScriptedModel model = letters();
        AtomicInteger polls = new AtomicInteger();
        RunLimits limits = RunLimits.DEFAULT.withCancellation(() -> polls.incrementAndGet() > 3);
        GenerationRequest request = new GenerationRequest(List.of("p"), 100, List.of(), List.of(), 1L, limits);
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> new UniformFinite().generate(model, request, recorder))
                .isInstanceOf(CancelledException.class);
        assertThat(recorder.deltas).hasSize(3);
        assertThat(model.closes).isEqualTo(1);
    }

    @Test
    void theSameSeedGivesTheSameTextAndAnotherSeedAnotherText() throws SextantException {
        StepDecoder decoder = new UniformFinite();
        List<String> prompts = List.of("p", "q");

        Generation first = decoder.generate(letters(), request(prompts, 30, List.of(), List.of(), 7L),
                TokenListener.NONE);
        Generation again = decoder.generate(letters(), request(prompts, 30, List.of(), List.of(), 7L),
                TokenListener.NONE);
        Generation other = decoder.generate(letters(), request(prompts, 30, List.of(), List.of(), 8L),
                TokenListener.NONE);

        assertThat(again.sequences()).extracting(GeneratedSequence::text)
                .containsExactly(text(first, 0), text(first, 1));
        assertThat(text(other, 0)).isNotEqualTo(text(first, 0));
        assertThat(text(first, 0)).isNotEqualTo(text(first, 1));
    }

    @Test
    void withoutARequestSeedTheDecodersDefaultSeedIsUsed() throws SextantException {
        StepDecoder decoder = new UniformFinite();

        String unseeded = text(decoder.generate(letters(), request(List.of("p"), 30, List.of(), List.of(), null),
                TokenListener.NONE), 0);
        String seeded99 = text(decoder.generate(letters(), request(List.of("p"), 30, List.of(), List.of(), 99L),
                TokenListener.NONE), 0);

        assertThat(unseeded).isEqualTo(seeded99);
    }

    @Test
    void aRowsTextDoesNotDependOnTheRowsAfterIt() throws SextantException {
        StepDecoder decoder = new UniformFinite();

        String alone = text(decoder.generate(letters(), request(List.of("p"), 30, List.of(), List.of(), 3L),
                TokenListener.NONE), 0);
        String inBatch = text(decoder.generate(letters(), request(List.of("p", "q", "r"), 30, List.of(), List.of(),
                3L), TokenListener.NONE), 0);

        assertThat(inBatch).isEqualTo(alone);
    }
}
