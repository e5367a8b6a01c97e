package dev.sextant.plugins.decoders;

/** The {@code greedy} decoder has no options. */
public record GreedyConfig() {
}
