package dev.sextant.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.Generation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiverseBeamTest {

    /**
     * 'a' is far likelier first (0.9); after it 'x' and 'y' tie, so plain beams both start with 'a'. The
     * only other start, 'b' (0.1), goes on with 'z'.
     */
    static final Map<String, Map<Character, Double>> COLLAPSING = Map.of(
            "", Map.of('a', 0.9, 'b', 0.1),
            "a", Map.of('x', 0.5, 'y', 0.5),
            "b", Map.of('z', 1.0));

    static BeamSearchDecoder diverse(int beams, int groups, double penalty, int numReturn) {
        return new BeamSearchDecoder(beams, groups, penalty, 1.0, EarlyStopping.FALSE, numReturn);
    }

    @Test
    void plainBeamsCollapseWhileGroupsDiffer() throws SextantException {
        TestLm model = TestLm.probabilities(COLLAPSING);

        Generation plain = BeamSearchDecoderTest.run(BeamSearchDecoderTest.beam(2, 1.0, EarlyStopping.FALSE, 2),
                model, "p");
        assertThat(plain.candidates().get(0)).extracting(GeneratedSequence::text).containsExactly("ax", "ay");

        // Group 1 pays the penalty for 'a' (group 0 chose it). 2 is not enough: ln 0.9 - 2 = -2.105 still
        // beats ln 0.1 = -2.303 (group 1 then takes 'y', since 'x' is penalised); 3 is: ln 0.9 - 3 = -3.105.
        Generation weak = BeamSearchDecoderTest.run(diverse(2, 2, 2.0, 2), model, "p");
        assertThat(weak.candidates().get(0)).extracting(GeneratedSequence::text).containsExactly("ax", "ay");
        Generation groups = BeamSearchDecoderTest.run(diverse(2, 2, 3.0, 2), model, "p");
        List<GeneratedSequence> ranked = groups.candidates().get(0);
        assertThat(ranked).extracting(GeneratedSequence::text).containsExactly("ax", "bz");
        // a group's score includes the penalty it paid, as in Hugging Face: "bz" paid none
        assertThat(ranked.get(1).score()).isCloseTo(Math.log(0.1) / 3, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void oneGroupWithoutPenaltyIsBeamSearch() throws SextantException {
        TestLm model = TestLm.hashed(1024, 1.0);
        List<String> prompts = List.of("once", "the dog", "q", "x y z");
        Generation beam = BeamSearchDecoderTest.run(BeamSearchDecoderTest.beam(4, 1.0, EarlyStopping.FALSE, 3),
                model, prompts, 16, List.of(" t"));
        Generation diverse = BeamSearchDecoderTest.run(diverse(4, 1, 0, 3), model, prompts, 16, List.of(" t"));

        for (int p = 0; p < prompts.size(); p++) {
            for (int i = 0; i < 3; i++) {
                GeneratedSequence a = diverse.candidates().get(p).get(i);
                GeneratedSequence b = beam.candidates().get(p).get(i);
                BeamSearchDecoderTest.assertSameSequence(a, b);
                assertThat(a.score()).isEqualTo(b.score());
            }
        }
    }

    @Test
    void groupsWithoutPenaltyAreEachTheSameBeamSearch() throws SextantException {
        TestLm model = TestLm.hashed(1024, 1.0);
        Generation single = BeamSearchDecoderTest.run(BeamSearchDecoderTest.beam(2, 1.0, EarlyStopping.FALSE, 1),
                model, "once");
        Generation groups = BeamSearchDecoderTest.run(diverse(6, 3, 0, 1), model, "once");

        BeamSearchDecoderTest.assertSameSequence(groups.sequences().get(0), single.sequences().get(0));
    }

    @Test
    void groupsOnManyPromptsGiveDistinctCandidates() throws SextantException {
        TestLm model = TestLm.hashed(1024, 2.0);
        List<String> prompts = List.of("once", "the dog", "q");
        Generation generation = BeamSearchDecoderTest.run(diverse(4, 4, 5.0, 4), model, prompts, 8, List.of());

        for (int p = 0; p < prompts.size(); p++) {
            List<GeneratedSequence> ranked = generation.candidates().get(p);
            assertThat(ranked).hasSize(4);
            // with a large penalty the four one-beam groups start with four different tokens
            assertThat(ranked).extracting(s -> s.tokenIds()[0]).doesNotHaveDuplicates();
            assertThat(ranked).extracting(GeneratedSequence::score).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        }
    }
}
