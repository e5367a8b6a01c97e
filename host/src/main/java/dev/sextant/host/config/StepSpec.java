package dev.sextant.host.config;

import dev.sextant.host.pipeline.StepType;
import java.util.List;

/**
 * A validated pipeline step.
 *
 * @param type the step type
 * @param config its bound options
 * @param references the components it names
 * @param line 1-based line
 * @param column 1-based column
 */
public record StepSpec(StepType<?> type, Record config, List<Reference> references, int line, int column) {
}
