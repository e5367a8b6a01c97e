package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.luben.zstd.Zstd;
import dev.sextant.spi.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The measure itself: compressed lengths and NCD. */
class ZipFitTest {

    private static final String STORY = "tounlon owns a purple scarf . tounlon visited tainklul after work . in fact ,"
            + " tumdriam has a small blue key . tumdriam owns a horse , of course .";
    private static final String JSON = "{\"name\": \"sathja\", \"city\": \"nairobi\", \"colour\": \"red\", \"age\": 46}";
    private static final String NOISE = "q7Zx!9vK#2mLp0@wR4tY8uI3oP6aS1dF5gH";

    private static ZipFitCodec codec(String name) throws ConfigException {
        return ZipFitCodec.of(name, null);
    }

    @Test
    void gzipLengthIsThatOfAGzipMemberAtTheSameLevel() throws Exception {
        for (int level : new int[] {1, 6, 9}) {
            ZipFitCodec gzip = ZipFitCodec.of("gzip", level);
            for (String text : List.of("", "a", STORY, JSON, STORY.repeat(40))) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                assertThat(gzip.size(bytes)).as("level %d, %d bytes", level, bytes.length)
                        .isEqualTo(gzipped(bytes, level).length);
            }
        }
    }

    @Test
    void zstdLengthIsThatOfOneZstdFrame() throws ConfigException {
        for (int level : new int[] {1, 3, 19}) {
            ZipFitCodec zstd = ZipFitCodec.of("zstd", level);
            for (String text : List.of("a", STORY, JSON, STORY.repeat(40))) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                assertThat(zstd.size(bytes)).isEqualTo(Zstd.compress(bytes, level).length);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void ncdIsSmallForATextAndItselfAndLargeForUnrelatedTexts(String name) throws ConfigException {
        ZipFitCodec codec = codec(name);
        assertThat(ZipFit.similarity(codec, STORY, STORY)).isGreaterThan(0.85);
        assertThat(ZipFit.similarity(codec, JSON, JSON)).isGreaterThan(0.8);
        assertThat(ZipFit.similarity(codec, STORY, NOISE)).isLessThan(0.3);
        assertThat(ZipFit.similarity(codec, JSON, NOISE)).isLessThan(0.3);
        assertThat(ZipFit.similarity(codec, STORY, JSON)).isLessThan(ZipFit.similarity(codec, STORY, STORY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void ncdIsRoughlySymmetricAndWithinItsRange(String name) throws ConfigException {
        ZipFitCodec codec = codec(name);
        List<String> texts = List.of(STORY, JSON, NOISE, "a", STORY.substring(0, 40), STORY.repeat(5),
                EvalCorpus.field("copyedit", "prompt").get(0), EvalCorpus.field("labels", "prompt").get(0));
        for (String x : texts) {
            for (String y : texts) {
                double xy = ZipFit.ncd(codec, x, y);
                double yx = ZipFit.ncd(codec, y, x);
                assertThat(xy).as("NCD(%s, %s)", x, y).isBetween(0.0, 1.1);
                assertThat(xy).as("symmetry of %s and %s", x, y).isCloseTo(yx, within(0.15));
            }
        }
    }

    @Test
    void ncdFromLengthsFollowsTheFormula() {
        assertThat(ZipFit.ncd(100, 80, 150)).isCloseTo((150 - 80) / 100.0, within(1e-12));
        assertThat(ZipFit.similarity(100, 80, 150)).isCloseTo(1 - 0.7, within(1e-12));
        assertThat(ZipFit.ncd(50, 50, 50)).isZero();
        assertThat(ZipFit.ncd(0, 0, 0)).isZero();
    }

    @Test
    void unknownCodecsAndLevelsOutOfRangeAreConfigErrors() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZipFitCodec.of("brotli", null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("codec"))
                .hasMessageContaining("choose one of [gzip, zstd]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZipFitCodec.of("gzip", 0))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("level"))
                .hasMessageContaining("from 1 to 9");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZipFitCodec.of("zstd", 99))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("level"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZipFitCodec.of("zstd", 0))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void defaultLevelsAreNineForGzipAndThreeForZstd() throws ConfigException {
        assertThat(ZipFitCodec.of(null, null)).isEqualTo(new ZipFitCodec("gzip", 9));
        assertThat(ZipFitCodec.of("ZSTD", null)).isEqualTo(new ZipFitCodec("zstd", 3));
        assertThat(ZipFitCodec.of("zstd", -5).level()).isEqualTo(-5);
    }

    private static byte[] gzipped(byte[] bytes, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
