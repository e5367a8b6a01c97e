/**
 * Models, tokenizers and decoding states. A {@link dev.sextant.spi.model.LanguageModel} hides its
 * tensors and KV cache: decoders and attribution methods see token ids, logits and
 * log-probabilities only.
 */
package dev.sextant.spi.model;
