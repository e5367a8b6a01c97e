package dev.sextant.plugins.tribuo;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import dev.sextant.spi.head.HeadTask;

/**
 * Options of the {@code tribuo} head. Data and trainer options decide the trained model and so its
 * cache key; {@code runtime} and {@code threshold} only decide how predictions are served.
 */
public record TribuoHeadConfig(
        @Option(description = "The encoder component whose pooled vectors the head is trained on and reads.",
                required = true, reference = ComponentKind.MODEL)
        String encoder,
        @Option(description = "What the head predicts: classification (one label), multi-label (any number of"
                + " labels) or regression (one number).", required = true)
        HeadTask task,
        @Option(description = "The Tribuo trainer: logistic, linear-sgd, liblinear or xgboost (see the plugin README"
                + " for which fit which task); default logistic for classification and multi-label, linear-sgd for"
                + " regression.")
        TrainerKind trainer,
        @Option(description = "The training data: a CSV file with a header row (.csv) or JSON Lines (.jsonl, .json),"
                + " relative to the pipeline file.", required = true)
        String data,
        @Option(description = "The column (CSV header name or JSON key) holding the text.", defaultValue = "text")
        String textColumn,
        @Option(description = "The column holding the target: a label, labels (multi-label) or a number"
                + " (regression).", defaultValue = "label")
        String labelColumn,
        @Option(description = "Share of the data held out (by a seeded shuffle) for evaluation when no"
                + " evaluation-data is given; 0 trains on everything.", defaultValue = "0.2", min = 0, max = 0.9)
        double heldOut,
        @Option(description = "A file with the same columns to evaluate on; then all of data trains and held-out is"
                + " ignored.")
        String evaluationData,
        @Option(description = "Seed of the held-out shuffle and of the trainers.", defaultValue = "42")
        long seed,
        @Option(description = "What serves predictions: tribuo (the trained model) or onnx (ONNX Runtime on the"
                + " model Tribuo exports; not for xgboost).", defaultValue = "tribuo")
        ServingRuntime runtime,
        @Option(description = "Passes over the training data (logistic, linear-sgd); the default trains close to"
                + " convergence on a few thousand rows (plugin README: how it was chosen).", defaultValue = "100", min = 1,
                max = 10000, unit = "epochs")
        int epochs,
        @Option(description = "AdaGrad's initial learning rate (logistic, linear-sgd).", defaultValue = "0.5",
                min = 1e-9, max = 100)
        double learningRate,
        @Option(description = "L2 penalty (logistic, linear-sgd); above 0 the optimiser is AdaGrad with"
                + " regularised dual averaging instead of plain AdaGrad.", defaultValue = "0", min = 0)
        double l2,
        @Option(description = "LibLinear's cost C (liblinear): larger fits the training data more closely.",
                defaultValue = "1.0", min = 1e-9)
        double cost,
        @Option(description = "Boosting rounds (xgboost); a classifier grows one tree per label per round.",
                defaultValue = "50", min = 1, max = 100000, unit = "trees")
        int trees,
        @Option(description = "Deepest tree (xgboost).", defaultValue = "6", min = 1, max = 64)
        int maxDepth,
        @Option(description = "Multi-label: a label is predicted when its score reaches this; default 0.5 for"
                + " logistic (probabilities) and 0 for linear-sgd (hinge margins).")
        Double threshold,
        @Option(description = "Multi-label: separates the labels in one CSV cell or JSON string (a JSON array needs"
                + " none); an empty cell means no labels.", defaultValue = ";")
        String labelSeparator) {
}
