package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.TokenRange;
import dev.sextant.spi.model.Tokenizer;
import org.junit.jupiter.api.Test;

/** Wrapping a range of an encoding in the special tokens the tokenizer itself adds. */
class SpecialTokensTest {

    @Test
    void aBertTokenizersRangeIsWrappedAsItsTextWouldBe() throws Exception {
        try (OnnxEncoder minilm = MiniLm.load()) {
            Tokenizer tokenizer = minilm.tokenizer();
            SpecialTokens specials = SpecialTokens.of(tokenizer).orElseThrow();
            assertThat(specials.count()).isEqualTo(2);
            String text = "Mia lives in Oslo. Tom has a red key.";
            Encoding whole = tokenizer.encode(text, false);
            int from = 0;
            while (whole.starts()[from] < text.indexOf("Tom")) {
                from++;
            }
            Encoding wrapped = specials.wrap(whole, new TokenRange(from, whole.size()));
            Encoding alone = tokenizer.encode("Tom has a red key.", true);

            assertThat(wrapped.tokens()).containsExactly(alone.tokens());
            assertThat(wrapped.tokens()[0]).isEqualTo("[CLS]");
            assertThat(wrapped.tokens()[wrapped.size() - 1]).isEqualTo("[SEP]");
            assertThat(wrapped.ids()).containsExactly(alone.ids());
            assertThat(wrapped.wordIds()[0]).isEqualTo(-1);
            assertThat(wrapped.wordIds()[wrapped.size() - 1]).isEqualTo(-1);
            int shift = text.indexOf("Tom");
            for (int t = 1; t < wrapped.size() - 1; t++) {
                assertThat(wrapped.starts()[t]).isEqualTo(alone.starts()[t] + shift);
            }
            // The special tokens sit, empty, at the range's edges.
            assertThat(wrapped.starts()[0]).isEqualTo(wrapped.ends()[0]).isEqualTo(shift);
            assertThat(wrapped.starts()[wrapped.size() - 1]).isEqualTo(text.length());
            assertThat(specials.wrap(whole, new TokenRange(3, 3)).tokens()).containsExactly("[CLS]", "[SEP]");
        }
    }
}
