/**
 * Constrained decoding: a {@link dev.sextant.spi.constraint.Constraint} (a regular expression, a JSON
 * Schema, a grammar) compiled for one tokenizer's vocabulary gives each generated row a
 * {@link dev.sextant.spi.constraint.ConstraintState}, which says which tokens may come next and
 * advances on the chosen one. {@link dev.sextant.spi.constraint.ConstraintProcessor} applies it as a
 * logits processor, so it composes with every decoder.
 *
 * <p>Masking renormalises the allowed tokens at each step, which skews sampling away from the model's
 * own distribution restricted to the constraint. {@link dev.sextant.spi.constraint.AlignedConstraintProcessor}
 * masks the same way and corrects that skew over repeated samples of a prompt (grammar-aligned sampling,
 * ASAp), learning in an {@link dev.sextant.spi.constraint.ExpectedFutures} shared by the generations.
 */
package dev.sextant.spi.constraint;
