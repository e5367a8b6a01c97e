package dev.sextant.spi.compress;

import java.util.List;
import java.util.Map;

/**
 * Selected candidates, best first.
 *
 * @param selected the chosen candidates with their scores
 * @param scored how many candidates were scored
 * @param info the method and its settings
 */
public record Selection(List<Selected> selected, int scored, Map<String, Object> info) {

    public Selection {
        selected = List.copyOf(selected);
        info = Map.copyOf(info);
    }

    /**
     * One chosen candidate.
     *
     * @param index its position in the request's candidates
     * @param score its similarity to the targets (higher is closer; scale is the method's)
     */
    public record Selected(int index, double score) {
    }
}
