package dev.sextant.spi.head;

import java.util.List;
import java.util.Map;

/**
 * A head's scores on held-out data.
 *
 * @param head the head's component name
 * @param task what it predicts
 * @param data what was evaluated on, e.g. {@code "25% held out of tickets.csv (seed 7)"}
 * @param rows evaluated rows
 * @param metrics named figures: for classification {@code accuracy}, {@code macro_f1},
 *     {@code micro_f1}; for multi-label {@code macro_f1}, {@code micro_f1}, {@code jaccard};
 *     for regression {@code rmse}, {@code mae}, {@code r2}; when the head is served from ONNX,
 *     {@code onnx_max_abs_diff} (largest score difference between ONNX Runtime and the trained model)
 *     and, only when some served labels differ from the trained model's, {@code onnx_label_disagreements}
 * @param labels the label order of {@code confusion}; empty for regression
 * @param confusion counts {@code [true][predicted]} for classification; empty otherwise
 * @param training how the evaluated model was trained
 */
public record HeadEvaluation(
        String head, HeadTask task, String data, int rows, Map<String, Double> metrics, List<String> labels,
        long[][] confusion, HeadTraining training) {

    public HeadEvaluation {
        metrics = Map.copyOf(metrics);
        labels = List.copyOf(labels);
    }
}
