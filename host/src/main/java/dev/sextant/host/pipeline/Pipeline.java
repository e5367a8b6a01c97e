package dev.sextant.host.pipeline;

import java.util.List;

/**
 * A pipeline ready to run.
 *
 * @param name its name
 * @param description what it does
 * @param steps its steps in order
 * @param components the names of the components it uses
 */
public record Pipeline(String name, String description, List<Step> steps, List<String> components) {
}
