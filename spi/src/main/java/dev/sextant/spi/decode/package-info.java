/**
 * Decoding: a {@link dev.sextant.spi.decode.Decoder} strategy, a list of
 * {@link dev.sextant.spi.decode.LogitsProcessor}s that adjust scores before each choice, and
 * stopping rules carried by the {@link dev.sextant.spi.decode.GenerationRequest} (EOS, max new
 * tokens, stop strings). {@link dev.sextant.spi.decode.StepDecoder} implements the shared loop so a
 * token-by-token strategy only says how to pick one token.
 */
package dev.sextant.spi.decode;
