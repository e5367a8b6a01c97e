/**
 * ONNX Runtime models for Sextant: {@link dev.sextant.plugins.onnx.OnnxCausalLmFactory} reads a
 * Hugging Face / Optimum export folder ({@code model.onnx} or {@code decoder_model_merged.onnx}, or
 * {@code decoder_model.onnx} with {@code decoder_with_past_model.onnx}; {@code config.json};
 * {@code tokenizer.json}) into a {@link dev.sextant.spi.model.LanguageModel} whose decoding states
 * keep the KV cache as native ONNX Runtime tensors; {@link dev.sextant.plugins.onnx.OnnxMaskedLmFactory}
 * reads a fill-mask export ({@code model.onnx}, {@code config.json}, {@code tokenizer.json}) into a
 * {@link dev.sextant.spi.model.MaskedLanguageModel}; {@link dev.sextant.plugins.onnx.OnnxEncoderFactory}
 * reads an encoder export ({@code model.onnx}, {@code tokenizer.json}, optional {@code config.json}),
 * or without a folder the built-in all-MiniLM-L6-v2 from the plugin's classpath, into a
 * {@link dev.sextant.spi.model.Encoder} of pooled sentence vectors;
 * {@link dev.sextant.plugins.onnx.OnnxTokenClassifierFactory} reads a token-classification export
 * ({@code model.onnx}, {@code tokenizer.json}, {@code config.json} with {@code id2label}) into a
 * {@link dev.sextant.spi.model.TokenClassifier} of per-token label probabilities.
 */
package dev.sextant.plugins.onnx;
