package dev.sextant.host.pipeline;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.head.Head;
import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs many heads on one encoder pass: the texts are embedded once (batched by the encoder) and
 * every head reads the same vectors, so a head costs only its own small matrix product.
 */
public final class MultiHeadRunner {

    private final String encoderName;
    private final Encoder encoder;
    private final Map<String, Head> heads;
    private final List<String> order;

    /**
     * @param encoderName the encoder's component name
     * @param heads the heads by component name, in the order predictions are listed
     * @throws ConfigException if a head was trained on another encoder
     */
    public MultiHeadRunner(String encoderName, Encoder encoder, Map<String, Head> heads) throws ConfigException {
        for (Map.Entry<String, Head> head : heads.entrySet()) {
            if (!head.getValue().encoder().equals(encoderName)) {
                throw new ConfigException("heads", "head '" + head.getKey() + "' reads the encoder '"
                        + head.getValue().encoder() + "', not '" + encoderName + "': one pass can only feed heads"
                        + " trained on that encoder's vectors");
            }
        }
        this.encoderName = encoderName;
        this.encoder = encoder;
        this.heads = Map.copyOf(heads);
        this.order = List.copyOf(heads.keySet());
    }

    /** The encoder's component name. */
    public String encoderName() {
        return encoderName;
    }

    /** The heads' names, in order. */
    public List<String> headNames() {
        return order;
    }

    /**
     * Predicts with every head for every text.
     *
     * @return one entry per text, each mapping head name to its prediction, in head order
     */
    public Result predict(List<String> texts, RunLimits limits) throws SextantException {
        long start = System.nanoTime();
        Embeddings embeddings = encoder.embed(texts, limits);
        if (embeddings.pooled().length != texts.size()) {
            throw new ModelException("encoder '" + encoderName + "' returned " + embeddings.pooled().length
                    + " vectors for " + texts.size() + " texts");
        }
        double encodeMillis = (System.nanoTime() - start) / 1e6;
        List<Map<String, Prediction>> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            rows.add(new LinkedHashMap<>());
        }
        Map<String, Double> headMillis = new LinkedHashMap<>();
        for (String name : order) {
            limits.check();
            long headStart = System.nanoTime();
            List<Prediction> predictions = heads.get(name).predict(embeddings);
            if (predictions.size() != texts.size()) {
                throw new ModelException("head '" + name + "' returned " + predictions.size() + " predictions for "
                        + texts.size() + " texts");
            }
            for (int i = 0; i < texts.size(); i++) {
                rows.get(i).put(name, predictions.get(i));
            }
            headMillis.put(name, (System.nanoTime() - headStart) / 1e6);
        }
        return new Result(rows.stream().map(java.util.Collections::unmodifiableMap).toList(), encodeMillis,
                headMillis);
    }

    /**
     * Predictions of one batch.
     *
     * @param rows per text, head name to prediction
     * @param encodeMillis time of the encoder pass
     * @param headMillis time of each head over the whole batch
     */
    public record Result(List<Map<String, Prediction>> rows, double encodeMillis, Map<String, Double> headMillis) {
    }
}
