package dev.sextant.plugins.attribution;

/** The {@code random} attributor has no options: its randomness is seeded by the request. */
public record RandomConfig() {
}
