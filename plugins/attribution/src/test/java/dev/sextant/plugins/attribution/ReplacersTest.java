package dev.sextant.plugins.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.model.MaskedLanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import dev.sextant.spi.testing.ScriptedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplacersTest {

    private static final String INPUT = "abcdefgh";

    private static AttributionProblem problem(ScriptedModel model) throws SextantException {
        return AttributionProblem.of(model, AttributionRequest.of(INPUT, "Y", 1, RunLimits.DEFAULT));
    }

    private static Perturbation everyOther(AttributionProblem problem, long seed) {
        boolean[] replaced = new boolean[INPUT.length()];
        for (int c = 1; c < replaced.length; c += 2) {
            replaced[c] = true;
        }
        return new Perturbation(problem.prefix(0), replaced, new SplittableRandom(seed));
    }

    /** A masked LM over the byte vocabulary (plus a mask id) that always predicts 'Q', then 'R'. */
    static final class FixedMaskedLm implements MaskedLanguageModel {
        final List<int[]> seen = new ArrayList<>();
        private final Tokenizer tokenizer;

        FixedMaskedLm(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        @Override
        public int maskTokenId() {
            return ByteTokenizer.VOCAB;
        }

        @Override
        public float[][][] maskedLogits(List<int[]> sequences, RunLimits limits) {
            float[][][] out = new float[sequences.size()][][];
            for (int i = 0; i < out.length; i++) {
                int[] tokens = sequences.get(i);
                seen.add(tokens.clone());
                List<float[]> rows = new ArrayList<>();
                for (int token : tokens) {
                    if (token == maskTokenId()) {
                        float[] logits = new float[ByteTokenizer.VOCAB + 1];
                        logits['Q'] = 30f;
                        logits['R'] = 25f;
                        rows.add(logits);
                    }
                }
                out[i] = rows.toArray(new float[0][]);
            }
            return out;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("fixed-mlm", "test", ByteTokenizer.VOCAB + 1, 512, Set.of(), -1, -1, Map.of());
        }

        @Override
        public Tokenizer tokenizer() {
            return tokenizer;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void uniformNeverDrawsSpecialTokensAndLeavesKeptTokensAlone() throws SextantException {
        AttributionProblem problem = problem(PlantedModels.evidence('X', 'Y'));
        Replacer.Session session = new UniformReplacer().start(problem);
        for (int seed = 0; seed < 200; seed++) {
            Perturbation p = everyOther(problem, seed);
            session.fill(List.of(p));
            for (int c = 0; c < INPUT.length(); c++) {
                if (c % 2 == 0) {
                    assertThat(p.tokens()[c]).isEqualTo(INPUT.charAt(c));
                }
                assertThat(p.tokens()[c]).isNotEqualTo(ByteTokenizer.EOS);
            }
        }
    }

    @Test
    void theMaskedLmSeesTheReplacedPositionsMaskedAndItsGuessIsUsed() throws SextantException {
        AttributionProblem problem = problem(PlantedModels.evidence('X', 'Y'));
        FixedMaskedLm mlm = new FixedMaskedLm(new ByteTokenizer());
        Replacer.Session session = new MaskedLmReplacer(mlm, "fixed").start(problem);
        Perturbation p = everyOther(problem, 3);
        session.fill(List.of(p));
        int[] masked = mlm.seen.get(0);
        for (int c = 0; c < INPUT.length(); c++) {
            assertThat(masked[c]).isEqualTo(c % 2 == 1 ? mlm.maskTokenId() : INPUT.charAt(c));
            assertThat(p.tokens()[c]).isEqualTo(c % 2 == 1 ? 'Q' : INPUT.charAt(c));
        }
    }

    @Test
    void theOriginalTokenIsNeverProposedAsItsOwnReplacement() throws SextantException {
        AttributionProblem problem = AttributionProblem.of(PlantedModels.evidence('X', 'Y'),
                AttributionRequest.of("QQQQ", "Y", 1, RunLimits.DEFAULT));
        FixedMaskedLm mlm = new FixedMaskedLm(new ByteTokenizer());
        Replacer.Session session = new MaskedLmReplacer(mlm, "fixed").start(problem);
        Perturbation p = new Perturbation(problem.prefix(0), new boolean[] {true, true, true, true},
                new SplittableRandom(1));
        session.fill(List.of(p));
        assertThat(p.tokens()).containsOnly('R');
    }

    @Test
    void aMaskedLmWithAnotherVocabularyIsRefusedByName() throws SextantException {
        AttributionProblem problem = problem(PlantedModels.evidence('X', 'Y'));
        Tokenizer shifted = new ByteTokenizer() {
            @Override
            public String token(int id) {
                return id == 65 ? "not-A" : super.token(id);
            }
        };
        MaskedLmReplacer replacer = new MaskedLmReplacer(new FixedMaskedLm(shifted), "other-mlm");
        assertThatThrownBy(() -> replacer.start(problem)).isInstanceOf(ModelException.class)
                .hasMessageContaining("masked LM 'other-mlm' does not share the tokenizer of model 'scripted'")
                .hasMessageContaining("token 65");
    }

    @Test
    void theModelReplacerDrawsFromTheModelsPredictionForThatPosition() throws SextantException {
        // the model predicts 'Z' everywhere: every replaced token becomes 'Z'
        ScriptedModel model = new ScriptedModel(1024, (tokens, promptLength) -> ScriptedModel.peaked('Z'));
        AttributionProblem problem = AttributionProblem.of(model, AttributionRequest.of(INPUT, "Y", 1,
                RunLimits.DEFAULT));
        Replacer.Session session = new ModelPredictionReplacer().start(problem);
        Perturbation p = everyOther(problem, 5);
        session.fill(List.of(p));
        for (int c = 1; c < INPUT.length(); c += 2) {
            assertThat(p.tokens()[c]).isEqualTo('Z');
        }
    }
}
