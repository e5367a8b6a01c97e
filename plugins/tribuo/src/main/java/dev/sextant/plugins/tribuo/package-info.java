/**
 * The {@code tribuo} head: classification, multi-label and regression heads trained with Tribuo on
 * an encoder's pooled vectors. {@link dev.sextant.plugins.tribuo.TribuoHeadFactory} validates the
 * config and loads cached models; {@link dev.sextant.plugins.tribuo.TribuoHead} trains when first
 * needed, evaluates with Tribuo's evaluators and serves predictions from the Tribuo model or its
 * ONNX export. Data files are read by {@link dev.sextant.plugins.tribuo.DataFiles}; vectors and
 * models are cached by {@link dev.sextant.plugins.tribuo.EmbeddingCache} and
 * {@link dev.sextant.plugins.tribuo.ModelCache}.
 */
package dev.sextant.plugins.tribuo;
