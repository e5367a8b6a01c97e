package dev.sextant.host.pipeline;

/**
 * How long one step took.
 *
 * @param step the step's type
 * @param millis wall-clock milliseconds
 */
public record StepTiming(String step, double millis) {
}
