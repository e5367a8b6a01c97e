package dev.sextant.plugins.attribution;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;

/**
 * Options of the {@code reagent} attributor. Defaults follow inseq's ReAGent (rational size 5,
 * stopping top-k 3, replacing ratio 0.3, at most 3000 probe steps) with the 16 probes of the
 * ReAGent paper's setting.
 */
public record ReagentConfig(
        @Option(description = "How tokens are replaced: uniform (any vocabulary token), model (sampled from the"
                + " attributed model's own prediction at that position) or mlm (sampled from a masked language"
                + " model's prediction, as in the ReAGent paper; needs masked-lm).", defaultValue = "uniform")
        String replacer,
        @Option(description = "The masked language model for replacer: mlm; it must share the attributed model's"
                + " tokenizer.", reference = ComponentKind.MODEL)
        String maskedLm,
        @Option(description = "Independent probes per target token, each from its own random start; the result is"
                + " the mean of the probes that converged.", defaultValue = "16", min = 1, max = 1024)
        int probes,
        @Option(description = "Share of the input tokens replaced at each probe step.", defaultValue = "0.3",
                min = 0, max = 1)
        double replacingRatio,
        @Option(description = "Stopping check: keep only this many most important tokens (replace the rest); 0"
                + " uses keep-top-ratio instead.", defaultValue = "5", min = 0, unit = "tokens")
        int keepTopN,
        @Option(description = "Stopping check when keep-top-n is 0: keep this share of the input tokens (rounded"
                + " up).", defaultValue = "0", min = 0, max = 1)
        double keepTopRatio,
        @Option(description = "Stopping check: a probe has converged when the target token is among the model's"
                + " this-many most likely tokens with only the kept tokens left intact.", defaultValue = "3",
                min = 1, unit = "tokens")
        int stopTopK,
        @Option(description = "The most update steps of one probe; a probe that has not converged by then"
                + " stops.", defaultValue = "3000", min = 1, unit = "steps")
        int maxProbeSteps,
        @Option(description = "Update steps every probe makes before its first stopping check (not in inseq,"
                + " which checks from the first step): when the target survives heavy replacement, probes"
                + " otherwise stop after a few steps with scores that are mostly their random start.",
                defaultValue = "0", min = 0, unit = "steps")
        int minProbeSteps,
        @Option(description = "The most perturbed sequences scored in one model call.", defaultValue = "64",
                min = 1, unit = "sequences")
        int maxBatch) {
}
