package dev.sextant.spi.model;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import java.util.List;

/**
 * A bidirectional encoder: one pass gives embeddings that any number of heads can read.
 *
 * <p>Heads trained on its vectors are cached under its {@link #identity()}, which must change
 * whenever the vectors would.
 */
public interface Encoder extends Model {

    /**
     * Everything that decides the vectors (model and tokenizer checksums, pooling, normalisation,
     * maximum length) and nothing that does not (the folder it was read from, thread counts), so a
     * moved folder or another thread count keeps trained heads. The default is the provenance.
     */
    default java.util.Map<String, String> identity() {
        return info().provenance();
    }

    /** Length of each pooled vector (the hidden size). */
    int dimension();

    /**
     * Encodes a batch of texts. Implementations split it into passes of a bounded size; the rows of
     * the result follow {@code texts}.
     */
    Embeddings embed(List<String> texts, RunLimits limits) throws SextantException;
}
