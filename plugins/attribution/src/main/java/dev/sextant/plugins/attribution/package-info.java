/**
 * Attribution methods: ReAGent ({@link dev.sextant.plugins.attribution.ReagentAttributor}) with
 * uniform, language-model and masked-LM replacers, occlusion / leave-one-out and a random baseline.
 * Every method shares {@link dev.sextant.plugins.attribution.AttributionProblem}: the tokens, the
 * rows to explain and the step scores.
 */
package dev.sextant.plugins.attribution;
