package dev.sextant.plugins.attribution;

import dev.sextant.spi.testing.ByteTokenizer;
import dev.sextant.spi.testing.ScriptedModel;

/**
 * Byte-level test models whose prediction depends on one planted token, so the right attribution
 * is known: the evidence is the planted byte and nothing else.
 */
final class PlantedModels {

    private PlantedModels() {
    }

    /**
     * Predicts {@code answer} (probability about 0.9) while {@code evidence} is anywhere before the
     * next position, otherwise spreads its probability so that {@code answer} is far from the top.
     */
    static ScriptedModel evidence(char evidence, char answer) {
        return new ScriptedModel(1024, evidenceLogits(evidence, answer));
    }

    /** The logits of {@link #evidence}. */
    static ScriptedModel.Logits evidenceLogits(char evidence, char answer) {
        int e = ByteTokenizer.id(evidence);
        int a = ByteTokenizer.id(answer);
        return (tokens, promptLength) -> {
            float[] logits = new float[ByteTokenizer.VOCAB];
            boolean seen = false;
            for (int t : tokens) {
                seen |= t == e;
            }
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (i * 7919 % 97) / 20f;
            }
            logits[a] = seen ? 12f : -5f;
            return logits;
        };
    }

    /** A model for which {@code answer} is never among the top tokens, whatever the input. */
    static ScriptedModel hopeless(char answer) {
        int a = ByteTokenizer.id(answer);
        return new ScriptedModel(1024, (tokens, promptLength) -> {
            float[] logits = new float[ByteTokenizer.VOCAB];
            logits[a] = -10f;
            return logits;
        });
    }
}
