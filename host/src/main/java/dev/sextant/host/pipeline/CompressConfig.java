package dev.sextant.host.pipeline;

import dev.sextant.host.config.InvalidOptionException;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import dev.sextant.spi.compress.Budget;

/** Options of the {@code compress} step. */
public record CompressConfig(
        @Option(description = "The compressor, e.g. a component of type llmlingua2 or self-information.",
                required = true, reference = ComponentKind.COMPRESSOR)
        String compressor,
        @Option(description = "Keep this share of the context's tokens (0 to 1]; the default when neither tokens"
                + " nor threshold is given is 0.5.", min = 0, max = 1)
        Double rate,
        @Option(description = "Keep at most this many of the context's tokens (instead of rate).", min = 1,
                unit = "tokens")
        Integer tokens,
        @Option(description = "Keep the words whose keep score reaches this (instead of rate); its scale is the"
                + " compressor's.")
        Double threshold,
        @Option(description = "Where the compressed part ends: the prompt from the first occurrence of this text"
                + " on (e.g. ' question :') is kept as it is and passed to the compressor as the question; empty"
                + " compresses to the end.", defaultValue = "")
        String keepFrom,
        @Option(description = "Where the compressed part starts: the prompt up to and including the first"
                + " occurrence of this text (e.g. 'context :') is kept as it is; empty compresses from the start.",
                defaultValue = "")
        String keepUntil) {

    /** The rate used when no budget is given. */
    public static final double DEFAULT_RATE = 0.5;

    public CompressConfig {
        int given = (rate != null ? 1 : 0) + (tokens != null ? 1 : 0) + (threshold != null ? 1 : 0);
        if (given > 1) {
            throw new InvalidOptionException(rate != null && tokens != null ? "tokens" : "threshold",
                    "give one budget: rate, tokens or threshold");
        }
        if (rate != null && !(rate > 0)) {
            throw new InvalidOptionException("rate", "must be above 0 (and at most 1), got " + rate);
        }
    }

    /** The budget these options ask for. */
    public Budget budget() {
        if (tokens != null) {
            return Budget.tokens(tokens);
        }
        if (threshold != null) {
            return Budget.threshold(threshold);
        }
        return Budget.rate(rate != null ? rate : DEFAULT_RATE);
    }
}
