/**
 * The Sextant service-provider interface: what a plugin implements and what the host gives it.
 *
 * <p>Five kinds of component sit behind one pattern. A PF4J extension (a {@link
 * dev.sextant.spi.ComponentFactory}) names its {@code type} as written in pipeline YAML, declares
 * an immutable config record whose components carry {@link dev.sextant.spi.Option} documentation,
 * and creates the component once; the host shares it between concurrent requests.
 *
 * <ul>
 *   <li>{@link dev.sextant.spi.model} — models ({@code LanguageModel}, {@code Encoder}), tokenizers
 *       and decoding states;
 *   <li>{@link dev.sextant.spi.decode} — decoders, logits processors and generation requests;
 *   <li>{@link dev.sextant.spi.attribution} — attribution methods;
 *   <li>{@link dev.sextant.spi.compress} — prompt compressors and data selectors;
 *   <li>{@link dev.sextant.spi.head} — task heads on shared encoder embeddings.
 * </ul>
 *
 * <p>Errors are one checked hierarchy rooted at {@link dev.sextant.spi.SextantException}; messages
 * are written for the person who must act on them.
 */
package dev.sextant.spi;
