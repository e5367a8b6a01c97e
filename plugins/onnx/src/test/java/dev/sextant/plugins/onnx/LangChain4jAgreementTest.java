package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.sextant.spi.RunLimits;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in encoder agrees with an independent implementation of the same model: langchain4j's
 * {@code AllMiniLmL6V2EmbeddingModel} (its own tokenizer call, session and mean pooling over one
 * unpadded text at a time, then L2 normalisation), run from the same jar's resources. The texts are
 * shorter than 128 tokens, below every truncation either side applies.
 */
class LangChain4jAgreementTest {

    /** Largest difference allowed in any coordinate of a unit vector. */
    private static final float TOLERANCE = 1e-5f;

    private static final List<String> TEXTS = List.of(
            "The cat sits on the mat.",
            "Stock markets fell sharply today after the central bank raised interest rates.",
            "hello",
            "Caf\u00e9 owners in Z\u00fcrich say na\u00efve tourists tip 20% more \u2014 or so they claim!",
            "When the old lighthouse keeper finally retired after forty years of service, the villagers gathered "
                    + "on the windy cliff to thank him, sharing stories of storms, shipwrecks and rescues that "
                    + "nobody in the harbour town would ever forget.",
            "Tokenizers split unbelievably long, uncommon words like antidisestablishmentarianism into pieces.");

    private static OnnxEncoder model;
    private static AllMiniLmL6V2EmbeddingModel peer;

    @BeforeAll
    static void load() throws Exception {
        model = MiniLm.load();
        peer = new AllMiniLmL6V2EmbeddingModel();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void meanPooledNormalisedVectorsEqualLangChain4jsForEveryText() throws Exception {
        float[][] ours = model.embed(TEXTS, RunLimits.DEFAULT).pooled();
        float worst = 0;
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] theirs = peer.embed(TEXTS.get(i)).content().vector();
            assertThat(ours[i]).as("text %d", i).hasSameSizeAs(theirs);
            float diff = maxAbsDiff(ours[i], theirs);
            assertThat(diff).as("largest difference for %s", TEXTS.get(i)).isLessThan(TOLERANCE);
            worst = Math.max(worst, diff);
        }
        System.out.printf("onnx-encoder vs langchain4j all-MiniLM-L6-v2: largest coordinate difference %.3g over %d "
                + "texts%n", worst, TEXTS.size());
    }

    @Test
    void theLongestTextIsLongerThanTwentyWordsAndNoTextIsTruncated() throws Exception {
        assertThat(TEXTS.get(4).split(" ")).hasSizeGreaterThan(20);
        for (String text : TEXTS) {
            assertThat(model.tokenizer().encode(text, true).size()).isLessThan(128);
        }
    }
}
