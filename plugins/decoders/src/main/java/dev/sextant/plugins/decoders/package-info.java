/**
 * The built-in decoders and logits processors, after Hugging Face {@code generate}: a strategy
 * chooses each token from scores that a list of processors ({@code repetition-penalty},
 * {@code no-repeat-ngram}, {@code banned-words}) adjusted first.
 *
 * <ul>
 *   <li>{@code greedy} and {@code sample} choose one token per row per step in the SPI's
 *       {@link dev.sextant.spi.decode.StepDecoder} loop; sampling reshapes the distribution with
 *       warpers in Hugging Face's order: temperature, top-k, top-p, min-p.
 *   <li>{@code beam} and {@code diverse-beam} ({@link dev.sextant.plugins.decoders.BeamSearchDecoder})
 *       keep beams as rows of one decoding state, rearranged by {@code fork} after every step.
 *   <li>{@code prompt-lookup} and {@code speculative} draft tokens (copied from the text, or from a
 *       draft model) and verify them in one {@code appendAll} call, rewinding the rejected ones
 *       ({@code DraftVerifyDecoder}).
 *   <li>{@code exact-extract} scores every span of a context as the answer.
 * </ul>
 *
 * The plugin's README describes every decoder, its options and its cost.
 */
package dev.sextant.plugins.decoders;
