package dev.sextant.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.testing.ScriptedModel;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactExtractDecoderTest {

    private static final String PROMPT = "context : the red fox ran past the red barn . question : what ran ? answer :";

    private static ExactExtractDecoder decoder(int maxWords) {
        return new ExactExtractDecoder(new ExactExtractConfig("context :", " question :", maxWords, "\n", 4096));
    }

    /** A model that continues {@code prompt} with {@code script} (then EOS) by a wide margin at every token. */
    private static TestLm writing(String prompt, String script) {
        ByteTokenizer t = new ByteTokenizer();
        int[] ids = ByteTokenizer.ids(script);
        return new TestLm(1024, (tokens, promptLength) -> {
            boolean ours = t.decode(Arrays.copyOf(tokens, promptLength), false).equals(prompt);
            int done = tokens.length - promptLength;
            return ScriptedModel.peaked(ours && done < ids.length ? ids[done] : ByteTokenizer.EOS);
        });
    }

    private static GeneratedSequence extract(TestLm model, ExactExtractDecoder decoder, String prompt,
            boolean logProbs) throws Exception {
        return decoder.generate(model, new GenerationRequest(List.of(prompt), 32, List.of(), List.of(), null,
                RunLimits.DEFAULT, logProbs), TokenListener.NONE).sequences().get(0);
    }

    @Test
    void answersWithTheContextSpanTheModelFindsMostProbableEndedWhereTheModelEndsIt() throws Exception {
        // The model would write " red fox" and end the line: "red" alone scores low at its line break,
        // "red fox ran" at its " ran".
        TestLm model = writing(PROMPT, " red fox\n");

        GeneratedSequence answer = extract(model, decoder(6), PROMPT, true);

        assertThat(answer.text()).isEqualTo(" red fox");
        assertThat(answer.tokenIds()).hasSize(" red fox\n".length());
        assertThat(answer.tokenLogProbs()).hasSize(answer.tokenIds().length);
        for (float lp : answer.tokenLogProbs()) {
            assertThat(lp).isGreaterThan(-0.01f);
        }
        // One prefill; the candidates of each length share one call, and the state is closed.
        assertThat(model.starts).isEqualTo(1);
        assertThat(model.closes).isEqualTo(1);
    }

    @Test
    void neverAnswersWithTextTheContextLacks() throws Exception {
        TestLm model = writing(PROMPT, " blue cat\n");

        GeneratedSequence answer = extract(model, decoder(6), PROMPT, false);

        assertThat(PROMPT).contains(answer.text().trim());
        assertThat(answer.text()).doesNotContain("blue");
        assertThat(answer.tokenLogProbs()).isEmpty();
    }

    @Test
    void spansLongerThanMaxWordsAreNotConsidered() throws Exception {
        TestLm model = writing(PROMPT, " the red fox ran\n");

        assertThat(extract(model, decoder(4), PROMPT, false).text()).isEqualTo(" the red fox ran");
        assertThat(extract(model, decoder(2), PROMPT, false).text().split(" ").length - 1).isLessThanOrEqualTo(2);
    }

    @Test
    void aPromptWithoutTheMarkersIsRefusedSayingWhich() {
        TestLm model = writing("", "");
        assertThatThrownBy(() -> extract(model, decoder(6), "no context here", false))
                .isInstanceOf(InputException.class).hasMessageContaining("'context :' (context-from)");
        assertThatThrownBy(() -> extract(model, decoder(6), "context : a b", false))
                .isInstanceOf(InputException.class).hasMessageContaining("' question :' (context-until)");
        assertThatThrownBy(() -> extract(model, new ExactExtractDecoder(new ExactExtractConfig("", "", 6, "\n", 10)),
                "one two three four five six seven", false))
                .isInstanceOf(InputException.class).hasMessageContaining("more than max-candidates 10");
    }
}
