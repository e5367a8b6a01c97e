package dev.sextant.host.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The result of one run: every slot the steps wrote, per-step timings and provenance.
 *
 * @param pipeline the pipeline's name
 * @param input the input text
 * @param output the last generated text, or {@code null} if no step generated
 * @param slots every slot, in the order first written
 * @param timings one per step, in order
 * @param totalMillis the whole run
 * @param provenance what produced it: pipeline file, plugins and versions, models and checksums,
 *     Java and OS
 */
public record PipelineResult(
        String pipeline, String input, String output, Map<String, Object> slots, List<StepTiming> timings,
        double totalMillis, Map<String, Object> provenance) {
}
