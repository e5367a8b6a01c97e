package dev.sextant.plugins.tribuo;

import dev.sextant.spi.ModelException;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.regression.Regressor;

/**
 * A trained head: the Tribuo model, the ONNX Runtime session serving its export (when the runtime is
 * {@code onnx}), and how it was trained. Immutable and thread-safe.
 *
 * <p>Both runtimes give a score matrix {@code [rows][outputs]} in the model's output-id order
 * ({@link #outputs()}); predictions are made from it the same way: classification takes the top
 * score, multi-label every label whose score reaches the threshold, regression the one value.
 */
final class TrainedModel implements AutoCloseable {

    private final HeadTask task;
    private final Model<?> model;
    private final OnnxScorer onnx;
    private final HeadTraining training;
    private final int dimension;
    private final double threshold;
    private final List<String> outputs;
    private final int[] featureIndex;

    TrainedModel(HeadTask task, Model<?> model, OnnxScorer onnx, HeadTraining training, int dimension,
            double threshold) throws ModelException {
        this.task = task;
        this.model = model;
        this.onnx = onnx;
        this.training = training;
        this.dimension = dimension;
        this.threshold = threshold;
        this.outputs = outputNames(model);
        ImmutableFeatureMap features = model.getFeatureIDMap();
        this.featureIndex = new int[features.size()];
        for (int id = 0; id < featureIndex.length; id++) {
            int index = TribuoTasks.featureIndex(features.get(id).getName());
            if (index < 0 || index >= dimension) {
                throw new ModelException("the trained model has feature " + features.get(id).getName()
                        + ", outside the " + dimension + " dimensions it was trained on");
            }
            featureIndex[id] = index;
        }
    }

    /** Output names by output id: labels, or the regression target's name. */
    static List<String> outputNames(Model<?> model) {
        ImmutableOutputInfo<?> info = model.getOutputIDInfo();
        List<String> names = new ArrayList<>(info.size());
        for (int id = 0; id < info.size(); id++) {
            Output<?> output = info.getOutput(id);
            if (output instanceof Label l) {
                names.add(l.getLabel());
            } else if (output instanceof MultiLabel m) {
                names.add(m.getLabelString());
            } else if (output instanceof Regressor r) {
                names.add(r.getNames()[0]);
            } else {
                names.add(output.getSerializableForm(false));
            }
        }
        return List.copyOf(names);
    }

    HeadTask task() {
        return task;
    }

    Model<?> model() {
        return model;
    }

    HeadTraining training() {
        return training;
    }

    int dimension() {
        return dimension;
    }

    double threshold() {
        return threshold;
    }

    /** Output names in output-id order (the columns of a score matrix and of the ONNX output). */
    List<String> outputs() {
        return outputs;
    }

    /** Whether predictions come from ONNX Runtime. */
    boolean servedByOnnx() {
        return onnx != null;
    }

    OnnxScorer onnx() {
        return onnx;
    }

    /** Predicts from pooled vectors with the serving runtime. */
    List<Prediction> predict(float[][] vectors, String head, String encoder) throws ModelException {
        checkDimension(vectors, head, encoder);
        if (onnx != null) {
            return fromScores(onnxScores(vectors));
        }
        List<org.tribuo.Prediction<?>> predictions = tribuoPredictions(
                TribuoTasks.unlabelled(task, vectors, dimension));
        if (task == HeadTask.CLASSIFICATION) {
            // Tribuo's own choice of label; the scores are the same matrix as below.
            double[][] scores = scores(predictions);
            List<Prediction> out = new ArrayList<>(predictions.size());
            for (int r = 0; r < predictions.size(); r++) {
                Label label = (Label) predictions.get(r).getOutput();
                out.add(Prediction.label(label.getLabel(), label.getScore(), scoreMap(scores[r])));
            }
            return out;
        }
        return fromScores(scores(predictions));
    }

    private void checkDimension(float[][] vectors, String head, String encoder) throws ModelException {
        for (float[] vector : vectors) {
            if (vector.length != dimension) {
                throw new ModelException("head '" + head + "' was trained on " + dimension + "-dimensional embeddings"
                        + " of encoder '" + encoder + "', but got " + vector.length + "-dimensional vectors; pass"
                        + " embeddings of the encoder it was trained on");
            }
        }
    }

    /** Tribuo's predictions for examples (whose outputs may be known, for evaluation). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<org.tribuo.Prediction<?>> tribuoPredictions(List<? extends Example<?>> examples) {
        return (List) ((Model) model).predict((Iterable) examples);
    }

    /** The score matrix of Tribuo predictions, in output-id order. */
    double[][] scores(List<org.tribuo.Prediction<?>> predictions) {
        double[][] scores = new double[predictions.size()][outputs.size()];
        for (int r = 0; r < predictions.size(); r++) {
            org.tribuo.Prediction<?> p = predictions.get(r);
            Map<String, ? extends Output<?>> all = p.getOutputScores();
            for (int id = 0; id < outputs.size(); id++) {
                String name = outputs.get(id);
                scores[r][id] = switch (task) {
                    case CLASSIFICATION -> all.get(name) instanceof Label l ? l.getScore() : Double.NaN;
                    case MULTI_LABEL -> all.get(name) instanceof MultiLabel m
                            ? m.getLabelScore(new Label(name)).orElse(Double.NaN) : Double.NaN;
                    case REGRESSION -> ((Regressor) p.getOutput()).getDimension(name)
                            .map(Regressor.DimensionTuple::getValue).orElse(Double.NaN);
                };
            }
        }
        return scores;
    }

    /** The ONNX Runtime score matrix for pooled vectors. */
    float[][] onnxScores(float[][] vectors) throws ModelException {
        float[][] input = new float[vectors.length][featureIndex.length];
        for (int r = 0; r < vectors.length; r++) {
            for (int id = 0; id < featureIndex.length; id++) {
                input[r][id] = vectors[r][featureIndex[id]];
            }
        }
        return onnx.run(input);
    }

    /** Predictions from a score matrix (either runtime's). */
    List<Prediction> fromScores(float[][] scores) {
        double[][] wide = new double[scores.length][];
        for (int r = 0; r < scores.length; r++) {
            wide[r] = new double[scores[r].length];
            for (int c = 0; c < scores[r].length; c++) {
                wide[r][c] = scores[r][c];
            }
        }
        return fromScores(wide);
    }

    List<Prediction> fromScores(double[][] scores) {
        List<Prediction> out = new ArrayList<>(scores.length);
        for (double[] row : scores) {
            out.add(switch (task) {
                case CLASSIFICATION -> {
                    int best = 0;
                    for (int id = 1; id < row.length; id++) {
                        if (row[id] > row[best]) {
                            best = id;
                        }
                    }
                    yield Prediction.label(outputs.get(best), row[best], scoreMap(row));
                }
                case MULTI_LABEL -> Prediction.labels(present(row), scoreMap(row));
                case REGRESSION -> Prediction.value(row[0]);
            });
        }
        return out;
    }

    /** Multi-label: the labels whose score reaches the threshold, highest score first. */
    List<String> present(double[] row) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < row.length; id++) {
            if (row[id] >= threshold) {
                ids.add(id);
            }
        }
        ids.sort(Comparator.comparingDouble((Integer id) -> -row[id]).thenComparing(outputs::get));
        return ids.stream().map(outputs::get).toList();
    }

    private Map<String, Double> scoreMap(double[] row) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int id = 0; id < row.length; id++) {
            map.put(outputs.get(id), row[id]);
        }
        return map;
    }

    @Override
    public void close() {
        if (onnx != null) {
            onnx.close();
        }
    }
}
