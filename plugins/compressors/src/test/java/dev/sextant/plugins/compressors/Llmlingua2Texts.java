package dev.sextant.plugins.compressors;

import dev.sextant.spi.testing.TestContext;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.model.TokenClassifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Test texts and configs for {@code llmlingua2}. */
final class Llmlingua2Texts {

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ber", "dan", "el",
        "for", "gan", "hil", "ist", "jor", "ma", "nor", "ost", "pel", "qua", "ron", "sel", "tor", "um", "ver", "wen",
        "yal", "zo", "the", "and", "of"};

    private Llmlingua2Texts() {
    }

    /** The default options with this model. */
    static Llmlingua2Config defaults(String model) {
        return new Llmlingua2Config(model, "keep", "mean", List.of("\n"), true, true, "none", "none", null, 1.0);
    }

    static Llmlingua2Config config(String wordScore, List<String> forceTokens, boolean keepDigits, boolean dropRepeated,
            String structure) {
        return new Llmlingua2Config("tagger", "keep", wordScore, forceTokens, keepDigits, dropRepeated, structure, "none", null, 1.0);
    }

    static Compressor create(TokenClassifier tagger, Llmlingua2Config config) throws Exception {
        return new Llmlingua2Factory().create(config, new TestContext("compressor", Path.of("")).with("tagger", tagger));
    }

    static Compressor create(TokenClassifier tagger) throws Exception {
        return create(tagger, defaults("tagger"));
    }

    /**
     * Ordinary-looking text: sentences of 4 to 24 words of 1 to 4 syllables, some commas, some numbers,
     * paragraphs split by blank lines.
     */
    static String prose(long seed, int sentences) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            if (s > 0) {
                out.append(random.nextInt(6) == 0 ? "\n\n" : " ");
            }
            int words = 4 + random.nextInt(21);
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    out.append(random.nextInt(9) == 0 ? ", " : " ");
                }
                if (random.nextInt(60) == 0) {
                    out.append(random.nextInt(2000));
                    continue;
                }
                StringBuilder word = new StringBuilder();
                int syllables = 1 + random.nextInt(4);
                for (int k = 0; k < syllables; k++) {
                    word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
                }
                if (w == 0) {
                    word.setCharAt(0, Character.toUpperCase(word.charAt(0)));
                }
                out.append(word);
            }
            out.append(".!?".charAt(random.nextInt(6) == 0 ? 1 + random.nextInt(2) : 0));
        }
        return out.toString();
    }
}
