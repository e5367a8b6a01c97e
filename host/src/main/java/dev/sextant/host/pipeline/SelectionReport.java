package dev.sextant.host.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code select} step chose: the {@code selection} slot of a run, as the REST API, the command
 * line and the shell show it.
 *
 * @param selector the selector component's name
 * @param scored how many candidates were scored
 * @param selected the chosen ones, best first
 * @param info the selector's method, settings and timings
 */
public record SelectionReport(String selector, int scored, List<Chosen> selected, Map<String, Object> info) {

    public SelectionReport {
        selected = List.copyOf(selected);
    }

    /**
     * One chosen candidate.
     *
     * @param index its position in the corpus
     * @param score its similarity to the prompt (higher is closer; the scale is the selector's)
     * @param text its text, as put into the prompt
     */
    public record Chosen(int index, double score, String text) {
    }

    /** The selection in a run's slots, if a select step ran. */
    public static Optional<SelectionReport> in(Map<String, Object> slots) {
        return slots.get(RunContext.SELECTION) instanceof SelectionReport r ? Optional.of(r) : Optional.empty();
    }
}
