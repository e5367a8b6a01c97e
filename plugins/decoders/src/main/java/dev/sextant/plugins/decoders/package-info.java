/**
 * The built-in decoders and logits processors, after Hugging Face {@code generate}: a strategy
 * ({@code greedy}, {@code sample}) chooses each token from scores that a list of processors
 * ({@code repetition-penalty}, {@code no-repeat-ngram}, {@code banned-words}) adjusted first.
 * Sampling reshapes the distribution with warpers in Hugging Face's order: temperature, top-k,
 * top-p, min-p. Stopping rules and streaming live in the SPI's
 * {@link dev.sextant.spi.decode.StepDecoder}.
 */
package dev.sextant.plugins.decoders;
