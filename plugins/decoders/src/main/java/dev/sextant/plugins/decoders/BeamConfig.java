package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code beam} decoder (Hugging Face's {@code num_beams}, {@code length_penalty},
 * {@code early_stopping}, {@code num_return_sequences}).
 *
 * @param numBeams how many sequences are kept at every step
 * @param lengthPenalty the exponent of the length a finished sequence's log-probability is divided by
 * @param earlyStopping when a prompt's search stops
 * @param numReturnSequences how many finished sequences each prompt returns
 */
public record BeamConfig(
        @Option(description = "How many partial sequences (beams) are kept at every step; 1 is greedy decoding.",
                defaultValue = "4", min = 1, unit = "beams")
        int numBeams,
        @Option(description = "A finished sequence scores sum(log-probabilities) / length^length-penalty: above 0"
                + " favours longer sequences, below 0 shorter ones, 0 compares plain log-probabilities.",
                defaultValue = "1.0")
        double lengthPenalty,
        @Option(description = "When to stop: true as soon as num-beams sequences are finished, false when the best"
                + " running beam at its current length cannot beat them (Hugging Face's default heuristic), never"
                + " when no running beam could beat them at any length.", defaultValue = "false")
        EarlyStopping earlyStopping,
        @Option(description = "How many finished sequences each prompt returns, best first (at most num-beams);"
                + " the first is the generation's text.", defaultValue = "1", min = 1, unit = "sequences")
        int numReturnSequences) {
}
