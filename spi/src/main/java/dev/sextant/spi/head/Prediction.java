package dev.sextant.spi.head;

import java.util.Map;

/**
 * One head's prediction for one text.
 *
 * @param label the predicted label, or {@code null} for a regression head
 * @param value the predicted value for a regression head, or the winning label's score
 * @param scores every label's score (empty for regression)
 */
public record Prediction(String label, double value, Map<String, Double> scores) {

    public Prediction {
        scores = Map.copyOf(scores);
    }
}
