package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code diverse-beam} decoder (Hugging Face's group beam search:
 * {@code num_beam_groups}, {@code diversity_penalty}).
 *
 * @param numBeams how many sequences are kept at every step, over all groups
 * @param numBeamGroups how many groups the beams are split into
 * @param diversityPenalty what a group pays per earlier-group beam that chose the same token
 * @param lengthPenalty as for {@code beam}
 * @param earlyStopping as for {@code beam}, per group
 * @param numReturnSequences as for {@code beam}, over all groups
 */
public record DiverseBeamConfig(
        @Option(description = "How many beams are kept at every step, over all groups; must be a multiple of"
                + " num-beam-groups.", defaultValue = "4", min = 1, unit = "beams")
        int numBeams,
        @Option(description = "How many groups the beams are split into; each group is a beam search of"
                + " num-beams / num-beam-groups beams that is pushed away from the tokens of the groups before it.",
                defaultValue = "2", min = 1, unit = "groups")
        int numBeamGroups,
        @Option(description = "Subtracted from a token's log-probability in a group once for every beam of an"
                + " earlier group that chose the same token at this step (Hamming diversity); 0 makes the groups"
                + " independent beam searches.", defaultValue = "0.5", min = 0)
        double diversityPenalty,
        @Option(description = "A finished sequence scores sum(log-probabilities) / length^length-penalty: above 0"
                + " favours longer sequences, below 0 shorter ones, 0 compares plain log-probabilities.",
                defaultValue = "1.0")
        double lengthPenalty,
        @Option(description = "When a group stops: true as soon as it has its share of finished sequences, false"
                + " when its best running beam at its current length cannot beat them, never when no running beam"
                + " could beat them at any length.", defaultValue = "false")
        EarlyStopping earlyStopping,
        @Option(description = "How many finished sequences each prompt returns, best first over all groups (at"
                + " most num-beams); the first is the generation's text.", defaultValue = "1", min = 1,
                unit = "sequences")
        int numReturnSequences) {
}
