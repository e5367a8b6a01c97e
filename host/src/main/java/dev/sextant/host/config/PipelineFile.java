package dev.sextant.host.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * A pipeline file that passed validation: every type is installed, every option bound, every
 * reference resolves. Nothing is created yet.
 *
 * @param path the file
 * @param limits its limits
 * @param components declarations in file order
 * @param pipelines pipelines in file order
 */
public record PipelineFile(
        Path path, LimitsConfig limits, Map<String, ComponentSpec> components, Map<String, PipelineSpec> pipelines) {
}
