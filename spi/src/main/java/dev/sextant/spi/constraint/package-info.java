/**
 * Constrained decoding: a {@link dev.sextant.spi.constraint.Constraint} (a regular expression, a JSON
 * Schema, a grammar) compiled for one tokenizer's vocabulary gives each generated row a
 * {@link dev.sextant.spi.constraint.ConstraintState}, which says which tokens may come next and
 * advances on the chosen one. {@link dev.sextant.spi.constraint.ConstraintProcessor} applies it as a
 * logits processor, so it composes with every decoder.
 */
package dev.sextant.spi.constraint;
