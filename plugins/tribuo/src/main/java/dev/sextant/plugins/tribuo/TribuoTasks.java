package dev.sextant.plugins.tribuo;

import dev.sextant.spi.head.HeadTask;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.MultiLabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Turns rows and their vectors into Tribuo examples and datasets, per task. A vector becomes dense
 * features named {@code e0000}, {@code e0001}, ... (zero-padded so that Tribuo's feature ids, which
 * follow the sorted names, follow the vector's order).
 */
final class TribuoTasks {

    static final LabelFactory LABELS = new LabelFactory();
    static final MultiLabelFactory MULTI_LABELS = new MultiLabelFactory();
    static final RegressionFactory REGRESSION = new RegressionFactory();

    private TribuoTasks() {
    }

    /** The feature names of a vector of {@code dimension} values. */
    static String[] featureNames(int dimension) {
        int width = Math.max(4, Integer.toString(Math.max(0, dimension - 1)).length());
        String[] names = new String[dimension];
        for (int i = 0; i < dimension; i++) {
            names[i] = "e" + String.format("%0" + width + "d", i);
        }
        return names;
    }

    /** The vector index a feature name stands for. */
    static int featureIndex(String name) {
        return Integer.parseInt(name.substring(1));
    }

    /** The Tribuo output factory of a task. */
    static OutputFactory<?> factory(HeadTask task) {
        return switch (task) {
            case CLASSIFICATION -> LABELS;
            case MULTI_LABEL -> MULTI_LABELS;
            case REGRESSION -> REGRESSION;
        };
    }

    /** A row's target as a Tribuo output. */
    static Output<?> output(HeadTask task, DataRow row, String labelColumn) {
        return switch (task) {
            case CLASSIFICATION -> new Label(row.label());
            case MULTI_LABEL -> multiLabel(row.labels());
            case REGRESSION -> new Regressor(labelColumn, row.value());
        };
    }

    static MultiLabel multiLabel(List<String> names) {
        Set<Label> labels = new LinkedHashSet<>();
        for (String name : names) {
            labels.add(new Label(name));
        }
        return new MultiLabel(labels);
    }

    /** One example: the vector as features, with a known or unknown output. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T extends Output<T>> Example<T> example(Output<?> output, String[] names, float[] vector) {
        double[] values = new double[vector.length];
        for (int i = 0; i < vector.length; i++) {
            values[i] = vector[i];
        }
        return new ArrayExample<>((T) output, names, values);
    }

    /** Examples for the rows, with their true outputs (for training and evaluation). */
    static <T extends Output<T>> List<Example<T>> examples(HeadTask task, List<DataRow> rows, float[][] vectors,
            String labelColumn) {
        String[] names = featureNames(vectors.length == 0 ? 0 : vectors[0].length);
        List<Example<T>> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            examples.add(example(output(task, rows.get(i), labelColumn), names, vectors[i]));
        }
        return examples;
    }

    /** Examples with unknown outputs, for prediction. */
    static <T extends Output<T>> List<Example<T>> unlabelled(HeadTask task, float[][] vectors, int dimension) {
        String[] names = featureNames(dimension);
        Output<?> unknown = factory(task).getUnknownOutput();
        List<Example<T>> examples = new ArrayList<>(vectors.length);
        for (float[] vector : vectors) {
            examples.add(example(unknown, names, vector));
        }
        return examples;
    }

    /** A training dataset whose provenance describes where the rows came from. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T extends Output<T>> MutableDataset<T> dataset(HeadTask task, List<Example<T>> examples,
            String description) {
        OutputFactory<T> factory = (OutputFactory<T>) factory(task);
        MutableDataset<T> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance(description, OffsetDateTime.now(), factory), factory);
        dataset.addAll(examples);
        return dataset;
    }

    /** Trains the model of a task. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Model<?> train(HeadTask task, TrainerKind kind, TribuoHeadConfig config, MutableDataset<?> dataset) {
        int rows = dataset.size();
        return switch (task) {
            case CLASSIFICATION -> Trainers.classification(kind, config, rows).train((MutableDataset) dataset);
            case MULTI_LABEL -> Trainers.multiLabel(kind, config, rows).train((MutableDataset) dataset);
            case REGRESSION -> Trainers.regression(kind, config, rows).train((MutableDataset) dataset);
        };
    }
}
