package dev.sextant.spi.head;

import java.util.List;
import java.util.Map;

/**
 * One head's prediction for one text.
 *
 * @param label the predicted label; for a multi-label head the present labels joined by
 *     {@code ","} (empty if none); {@code null} for a regression head
 * @param labels the predicted labels: one for classification, any number for multi-label, none for
 *     regression
 * @param value the predicted value for a regression head; otherwise the winning label's score
 * @param scores every label's score (probabilities where the model gives them), empty for regression
 */
public record Prediction(String label, List<String> labels, double value, Map<String, Double> scores) {

    public Prediction {
        labels = List.copyOf(labels);
        scores = Map.copyOf(scores);
    }

    /** A single-label prediction. */
    public static Prediction label(String label, double score, Map<String, Double> scores) {
        return new Prediction(label, List.of(label), score, scores);
    }

    /** A multi-label prediction. */
    public static Prediction labels(List<String> labels, Map<String, Double> scores) {
        double top = labels.stream().mapToDouble(l -> scores.getOrDefault(l, Double.NaN)).max().orElse(Double.NaN);
        return new Prediction(String.join(",", labels), labels, top, scores);
    }

    /** A regression prediction. */
    public static Prediction value(double value) {
        return new Prediction(null, List.of(), value, Map.of());
    }
}
