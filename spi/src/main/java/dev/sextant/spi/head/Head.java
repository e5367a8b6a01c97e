package dev.sextant.spi.head;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Embeddings;
import java.util.List;

/** A task head: maps the pooled embeddings of an encoder pass to predictions. Thread-safe. */
public interface Head {

    /** The name of the encoder component this head reads; its embeddings are what it was trained on. */
    String encoder();

    /** What the head predicts. */
    HeadTask task();

    /**
     * Predicts for every row of an encoder pass, in row order.
     *
     * @throws dev.sextant.spi.ModelException if the head has no trained model yet and cannot train one
     */
    List<Prediction> predict(Embeddings embeddings) throws SextantException;
}
