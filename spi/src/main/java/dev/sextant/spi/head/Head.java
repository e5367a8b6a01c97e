package dev.sextant.spi.head;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Embeddings;
import java.util.List;

/** A task head. Thread-safe. */
public interface Head {

    /** The encoder component this head was trained on; its embeddings are what it reads. */
    String encoder();

    /** Predicts for every row of an encoder pass. */
    List<Prediction> predict(Embeddings embeddings) throws SextantException;
}
