package dev.sextant.spi.decode;

import java.util.List;

/**
 * The result of {@link Decoder#generate}.
 *
 * @param sequences one per prompt, in request order
 */
public record Generation(List<GeneratedSequence> sequences) {

    public Generation {
        sequences = List.copyOf(sequences);
    }
}
