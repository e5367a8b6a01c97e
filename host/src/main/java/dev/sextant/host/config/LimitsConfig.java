package dev.sextant.host.config;

import dev.sextant.spi.Option;
import java.time.Duration;

/** The {@code limits:} section of a pipeline file: what every run of its pipelines is held to. */
public record LimitsConfig(
        @Option(description = "The most tokens one input may have; longer inputs are refused.", defaultValue = "2048",
                min = 1, unit = "tokens")
        int maxInputTokens,
        @Option(description = "How long one run may take before it is stopped.", defaultValue = "120s")
        Duration timeout) {

    public LimitsConfig {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("option 'timeout' must be positive, e.g. 30s");
        }
    }

    /** The defaults. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(2048, Duration.ofSeconds(120));
    }
}
