package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.testing.ScriptedModel;
import dev.sextant.spi.testing.TestContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The random baseline: seeded, to the budget, whole words. */
class RandomDropTest {

    static final String TEXT = "tounlon owns a purple scarf . in fact , tumdriam has a small blue key . tumdriam owns"
            + " a horse , of course . it rained all day , so tumdriam stayed inside .";

    private static Compressor create(long seed) throws Exception {
        TestContext context = new TestContext("random", Path.of("."))
                .with("lm", ScriptedModel.writing(Map.of()));
        return new RandomDropFactory().create(new RandomDropConfig("lm", seed), context);
    }

    private static Compression compress(Compressor c, double rate) throws Exception {
        return c.compress(new CompressionRequest(TEXT, null, Budget.rate(rate), RunLimits.DEFAULT));
    }

    @Test
    void keepsTheRequestedShareInWholeWords() throws Exception {
        for (double rate : new double[] {0.3, 0.5, 0.7}) {
            Compression c = compress(create(42), rate);
            assertThat(c.achievedRate()).as("rate %s", rate).isCloseTo(rate, within(0.02));
            assertThat(c.info()).containsEntry("method", "random-drop");
            for (String word : c.text().split(" +")) {
                assertThat(TEXT.split(" ")).as("rate %s", rate).contains(word);
            }
        }
    }

    @Test
    void theSeedDecidesWhichWordsGo() throws Exception {
        assertThat(compress(create(42), 0.5).text()).isEqualTo(compress(create(42), 0.5).text());
        assertThat(compress(create(42), 0.5).text()).isNotEqualTo(compress(create(7), 0.5).text());
    }
}
