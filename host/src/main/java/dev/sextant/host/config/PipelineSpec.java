package dev.sextant.host.config;

import java.util.List;

/**
 * A validated pipeline.
 *
 * @param name its name in the file
 * @param description what it does, for listings
 * @param steps its steps in order
 */
public record PipelineSpec(String name, String description, List<StepSpec> steps) {

    /** Whether one of its steps is of type {@code stepType}, e.g. {@code attribute}. */
    public boolean hasStep(String stepType) {
        return steps.stream().anyMatch(step -> step.type().name().equals(stepType));
    }
}
