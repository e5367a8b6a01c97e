package dev.sextant.spi.decode;

import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;

/**
 * Adjusts next-token scores before a decoder chooses (penalties, bans, masks). Composes by list:
 * processors run in the order a pipeline names them. A processor component is shared; per-request
 * state lives in the instance {@link #prepare} returns.
 */
public interface LogitsProcessor {

    /**
     * Called once per generation, before the first step.
     *
     * @return the processor to apply for this generation: {@code this} if it keeps no state, or a
     *     fresh instance (e.g. with banned words tokenized by this model's tokenizer)
     */
    default LogitsProcessor prepare(Tokenizer tokenizer) {
        return this;
    }

    /**
     * Called once per generation, before the first step, with the model too; decoders call this one.
     * The default calls {@link #prepare(Tokenizer)}. Processors that need the model's end-of-sequence
     * ids or vocabulary size (constraints) override it.
     */
    default LogitsProcessor prepare(Tokenizer tokenizer, ModelInfo model) {
        return prepare(tokenizer);
    }

    /**
     * Adjusts one row's scores in place.
     *
     * @param row the request row (stable across steps)
     * @param tokens the row's tokens so far, prompt first
     * @param promptLength how many of {@code tokens} are the prompt
     * @param scores next-token scores (logits), modified in place; {@code -Infinity} bans a token
     */
    void process(int row, int[] tokens, int promptLength, float[] scores);
}
