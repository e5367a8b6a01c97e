package dev.sextant.plugins.tribuo;

import dev.sextant.spi.head.HeadTask;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The Tribuo trainers a head can use; which ones fit which task is {@link #allowedFor}. */
public enum TrainerKind {
    /** Logistic regression by SGD (AdaGrad): softmax probabilities, or per-label sigmoid for multi-label. */
    LOGISTIC,
    /** Linear model by SGD (AdaGrad): hinge loss (margins) for labels, squared loss for regression. */
    LINEAR_SGD,
    /** LibLinear: L2-regularised L2-loss SVM (dual) for classification, L2-loss SVR for regression. */
    LIBLINEAR,
    /** XGBoost gradient-boosted trees (softmax probabilities for classification). */
    XGBOOST;

    /** The YAML spelling, e.g. {@code linear-sgd}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The trainers available for a task, in documentation order. */
    public static Set<TrainerKind> allowedFor(HeadTask task) {
        return switch (task) {
            case CLASSIFICATION -> EnumSet.of(LOGISTIC, LINEAR_SGD, LIBLINEAR, XGBOOST);
            case MULTI_LABEL -> EnumSet.of(LOGISTIC, LINEAR_SGD);
            case REGRESSION -> EnumSet.of(LINEAR_SGD, LIBLINEAR, XGBOOST);
        };
    }

    /** The trainer used when the config names none. */
    public static TrainerKind defaultFor(HeadTask task) {
        return task == HeadTask.REGRESSION ? LINEAR_SGD : LOGISTIC;
    }

    /** Whether Tribuo can export this trainer's models to ONNX. */
    public boolean onnxExportable() {
        return this != XGBOOST;
    }

    /** Whether this trainer reads {@code epochs}, {@code learning-rate} and {@code l2}. */
    public boolean sgd() {
        return this == LOGISTIC || this == LINEAR_SGD;
    }

    static String names(Set<TrainerKind> kinds) {
        List<String> names = kinds.stream().map(TrainerKind::yamlName).toList();
        return String.join(", ", names);
    }
}
