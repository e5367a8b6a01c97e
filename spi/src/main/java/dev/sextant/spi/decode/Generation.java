package dev.sextant.spi.decode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link Decoder#generate}.
 *
 * @param sequences one per prompt, in request order: the decoder's answer (for beam search, the best
 *     of {@code candidates})
 * @param candidates per prompt, in request order, the sequences the decoder returns ranked best first
 *     by {@link GeneratedSequence#score()}; the first of each is the one in {@code sequences}. A
 *     decoder that returns one sequence per prompt gives lists of one
 * @param metrics facts about the run, by name in snake case (e.g. {@code accepted_tokens},
 *     {@code model_calls} of speculative decoders); empty when a decoder reports none
 */
public record Generation(
        List<GeneratedSequence> sequences, List<List<GeneratedSequence>> candidates, Map<String, Double> metrics) {

    public Generation {
        sequences = List.copyOf(sequences);
        if (candidates == null || candidates.isEmpty()) {
            List<List<GeneratedSequence>> single = new ArrayList<>(sequences.size());
            for (GeneratedSequence sequence : sequences) {
                single.add(List.of(sequence));
            }
            candidates = List.copyOf(single);
        } else {
            if (candidates.size() != sequences.size()) {
                throw new IllegalArgumentException("candidates has " + candidates.size() + " lists for "
                        + sequences.size() + " prompts");
            }
            List<List<GeneratedSequence>> copies = new ArrayList<>(candidates.size());
            for (int p = 0; p < candidates.size(); p++) {
                List<GeneratedSequence> ranked = List.copyOf(candidates.get(p));
                if (ranked.isEmpty() || ranked.get(0) != sequences.get(p)) {
                    throw new IllegalArgumentException("the candidates of prompt " + (p + 1)
                            + " must start with its sequence");
                }
                copies.add(ranked);
            }
            candidates = List.copyOf(copies);
        }
        // insertion order is kept so that reports list metrics as the decoder wrote them
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNullElse(metrics, Map.of())));
    }

    /** One sequence per prompt, no other candidates, no metrics. */
    public Generation(List<GeneratedSequence> sequences) {
        this(sequences, null, null);
    }
}
