package dev.sextant.plugins.tribuo;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.Prediction;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.evaluation.MultiLabelEvaluation;
import org.tribuo.multilabel.evaluation.MultiLabelEvaluator;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

/**
 * Scores a trained head on labelled rows with Tribuo's evaluators (label, multi-label, regression),
 * on the predictions the head serves (multi-label: with its threshold), and, for a head served by
 * ONNX Runtime, compares the exported graph with the Tribuo model on the same rows.
 */
final class Evaluations {

    private Evaluations() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static HeadEvaluation evaluate(HeadSpec spec, TrainedModel trained, List<DataRow> rows, float[][] vectors,
            String fileKey, String description) throws ConfigException, ModelException {
        HeadTask task = spec.task();
        checkKnownLabels(trained, rows, fileKey, spec);
        List<Example<?>> examples = (List) TribuoTasks.examples(task, rows, vectors, spec.config().labelColumn());
        List<org.tribuo.Prediction<?>> predictions = trained.tribuoPredictions((List) examples);
        double[][] scores = trained.scores(predictions);
        DataProvenance provenance = new SimpleDataSourceProvenance(description, OffsetDateTime.now(),
                TribuoTasks.factory(task));
        Model model = trained.model();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<String> labels = List.of();
        long[][] confusion = new long[0][0];
        List<List<String>> tribuoLabels = new ArrayList<>();
        switch (task) {
            case CLASSIFICATION -> {
                LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, (List) predictions, provenance);
                metrics.put("accuracy", evaluation.accuracy());
                metrics.put("macro_f1", evaluation.macroAveragedF1());
                metrics.put("micro_f1", evaluation.microAveragedF1());
                Set<String> names = new TreeSet<>(trained.outputs());
                labels = List.copyOf(names);
                confusion = new long[labels.size()][labels.size()];
                for (int r = 0; r < rows.size(); r++) {
                    String predicted = ((Label) predictions.get(r).getOutput()).getLabel();
                    confusion[labels.indexOf(rows.get(r).label())][labels.indexOf(predicted)]++;
                    tribuoLabels.add(List.of(predicted));
                }
            }
            case MULTI_LABEL -> {
                // Tribuo's model thresholds at its objective's own value; re-decide with the head's threshold.
                List<org.tribuo.Prediction<MultiLabel>> thresholded = new ArrayList<>(predictions.size());
                for (int r = 0; r < predictions.size(); r++) {
                    org.tribuo.Prediction<MultiLabel> p = (org.tribuo.Prediction<MultiLabel>) predictions.get(r);
                    List<String> present = trained.present(scores[r]);
                    Set<Label> set = new java.util.LinkedHashSet<>();
                    for (String name : present) {
                        set.add(new Label(name, scores[r][trained.outputs().indexOf(name)]));
                    }
                    thresholded.add(new org.tribuo.Prediction<>(new MultiLabel(set), p.getOutputScores(),
                            p.getNumActiveFeatures(), p.getExample(), p.hasProbabilities()));
                    tribuoLabels.add(present);
                }
                MultiLabelEvaluation evaluation = new MultiLabelEvaluator().evaluate(model, thresholded, provenance);
                metrics.put("macro_f1", evaluation.macroAveragedF1());
                metrics.put("micro_f1", evaluation.microAveragedF1());
                metrics.put("jaccard", jaccard(thresholded));
            }
            case REGRESSION -> {
                RegressionEvaluation evaluation = new RegressionEvaluator().evaluate(model, (List) predictions,
                        provenance);
                metrics.put("rmse", evaluation.averageRMSE());
                metrics.put("mae", evaluation.averageMAE());
                metrics.put("r2", evaluation.averageR2());
            }
        }
        if (trained.servedByOnnx()) {
            float[][] onnx = trained.onnxScores(vectors);
            double maxDiff = 0;
            for (int r = 0; r < onnx.length; r++) {
                for (int c = 0; c < onnx[r].length; c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(onnx[r][c] - scores[r][c]));
                }
            }
            metrics.put("onnx_max_abs_diff", maxDiff);
            if (task != HeadTask.REGRESSION) {
                List<Prediction> served = trained.fromScores(onnx);
                int disagreements = 0;
                for (int r = 0; r < served.size(); r++) {
                    if (!served.get(r).labels().equals(tribuoLabels.get(r))) {
                        disagreements++;
                    }
                }
                if (disagreements > 0) {
                    metrics.put("onnx_label_disagreements", (double) disagreements);
                }
            }
        }
        return new HeadEvaluation(spec.name(), task, description, rows.size(), metrics, labels, confusion,
                trained.training());
    }

    /**
     * Mean per-row Jaccard index of predicted and true label sets, by Tribuo's
     * {@code MultiLabel.jaccardScore}, except that a row where both sets are empty scores 1 (Tribuo's
     * {@code MultiLabelEvaluation.jaccardScore()} divides 0 by 0 there and returns NaN).
     */
    static double jaccard(List<org.tribuo.Prediction<MultiLabel>> predictions) {
        double sum = 0;
        for (org.tribuo.Prediction<MultiLabel> p : predictions) {
            MultiLabel predicted = p.getOutput();
            MultiLabel truth = p.getExample().getOutput();
            sum += MultiLabel.unionSize(predicted, truth) == 0 ? 1.0 : MultiLabel.jaccardScore(predicted, truth);
        }
        return predictions.isEmpty() ? Double.NaN : sum / predictions.size();
    }

    /** Tribuo's evaluators only know the labels the model was trained on. */
    private static void checkKnownLabels(TrainedModel trained, List<DataRow> rows, String fileKey, HeadSpec spec)
            throws ConfigException {
        if (spec.task() == HeadTask.REGRESSION) {
            return;
        }
        Set<String> known = Set.copyOf(trained.outputs());
        for (DataRow row : rows) {
            List<String> labels = spec.task() == HeadTask.CLASSIFICATION ? List.of(row.label()) : row.labels();
            for (String label : labels) {
                if (!known.contains(label)) {
                    Path file = "data".equals(fileKey) ? spec.data() : spec.evaluation();
                    throw new ConfigException(fileKey, file.getFileName() + " line " + row.line() + ": the evaluation"
                            + " row has label '" + label
                            + "', which no training row has (trained labels: " + String.join(", ", new TreeSet<>(known))
                            + "); evaluate only on labels the head was trained on");
                }
            }
        }
    }

    /** A share written as a percentage without needless decimals. */
    static String percent(double share) {
        double p = share * 100;
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(java.util.Locale.ROOT, "%.1f", p);
    }
}
