package dev.sextant.spi.model;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import java.util.List;

/** A bidirectional encoder: one pass gives embeddings that any number of heads can read. */
public interface Encoder extends Model {

    /** Encodes a batch of texts in one pass. */
    Embeddings embed(List<String> texts, RunLimits limits) throws SextantException;
}
