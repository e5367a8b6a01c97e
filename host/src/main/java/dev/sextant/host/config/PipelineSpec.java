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
}
