package dev.sextant.plugins.tribuo;

import dev.sextant.spi.head.HeadTask;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.AdaGradRDA;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.sgd.objectives.BinaryCrossEntropy;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.liblinear.LibLinearRegressionTrainer;
import org.tribuo.regression.liblinear.LinearRegressionType;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;

/**
 * Builds the Tribuo trainer for a task and trainer kind, and lists the settings that decide the
 * trained model (for the cache key and the provenance). Fixed choices are constants here, and part
 * of the settings, so changing one changes every key.
 */
final class Trainers {

    /** AdaGrad's epsilon, as in Tribuo's own {@code LogisticRegressionTrainer}. */
    static final double ADAGRAD_EPSILON = 0.1;
    /** Examples per SGD step. */
    static final int MINIBATCH = 1;
    /** LibLinear's iteration cap and stopping tolerance (Tribuo's defaults). */
    static final int LIBLINEAR_MAX_ITERATIONS = 1000;
    static final double LIBLINEAR_TOLERANCE = 0.1;
    /** LibLinear SVR's insensitive-zone width (Tribuo's default). */
    static final double LIBLINEAR_SVR_EPSILON = 0.1;
    /** XGBoost's fixed settings (XGBoost's defaults); one thread keeps training reproducible. */
    static final double XGBOOST_ETA = 0.3;
    static final double XGBOOST_MIN_CHILD_WEIGHT = 1;
    static final double XGBOOST_LAMBDA = 1;
    static final int XGBOOST_THREADS = 1;
    static final LinearClassificationType.LinearType LIBLINEAR_CLASSIFIER =
            LinearClassificationType.LinearType.L2R_L2LOSS_SVC_DUAL;
    static final LinearRegressionType.LinearType LIBLINEAR_REGRESSOR = LinearRegressionType.LinearType.L2R_L2LOSS_SVR;

    private Trainers() {
    }

    static Trainer<Label> classification(TrainerKind kind, TribuoHeadConfig c, int rows) {
        return switch (kind) {
            case LOGISTIC -> new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(),
                    optimiser(c, rows), c.epochs(), -1, MINIBATCH, c.seed());
            case LINEAR_SGD -> new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new Hinge(),
                    optimiser(c, rows), c.epochs(), -1, MINIBATCH, c.seed());
            case LIBLINEAR -> new LibLinearClassificationTrainer(new LinearClassificationType(LIBLINEAR_CLASSIFIER),
                    c.cost(), LIBLINEAR_MAX_ITERATIONS, LIBLINEAR_TOLERANCE, c.seed());
            case XGBOOST -> new XGBoostClassificationTrainer(c.trees(), XGBOOST_ETA, 0, c.maxDepth(),
                    XGBOOST_MIN_CHILD_WEIGHT, 1, 1, XGBOOST_LAMBDA, 0, XGBOOST_THREADS, true, c.seed());
        };
    }

    static Trainer<MultiLabel> multiLabel(TrainerKind kind, TribuoHeadConfig c, int rows) {
        return switch (kind) {
            case LOGISTIC -> new org.tribuo.multilabel.sgd.linear.LinearSGDTrainer(new BinaryCrossEntropy(),
                    optimiser(c, rows), c.epochs(), -1, MINIBATCH, c.seed());
            case LINEAR_SGD -> new org.tribuo.multilabel.sgd.linear.LinearSGDTrainer(
                    new org.tribuo.multilabel.sgd.objectives.Hinge(), optimiser(c, rows), c.epochs(), -1, MINIBATCH,
                    c.seed());
            default -> throw new IllegalArgumentException(kind + " does not train multi-label heads");
        };
    }

    static Trainer<Regressor> regression(TrainerKind kind, TribuoHeadConfig c, int rows) {
        return switch (kind) {
            case LINEAR_SGD -> new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(),
                    optimiser(c, rows), c.epochs(), -1, MINIBATCH, c.seed());
            case LIBLINEAR -> new LibLinearRegressionTrainer(new LinearRegressionType(LIBLINEAR_REGRESSOR), c.cost(),
                    LIBLINEAR_MAX_ITERATIONS, LIBLINEAR_TOLERANCE, LIBLINEAR_SVR_EPSILON, c.seed());
            case XGBOOST -> new XGBoostRegressionTrainer(XGBoostRegressionTrainer.RegressionType.LINEAR, c.trees(),
                    XGBOOST_ETA, 0, c.maxDepth(), XGBOOST_MIN_CHILD_WEIGHT, 1, 1, XGBOOST_LAMBDA, 0, XGBOOST_THREADS,
                    true, c.seed());
            default -> throw new IllegalArgumentException(kind + " does not train regression heads");
        };
    }

    private static StochasticGradientOptimiser optimiser(TribuoHeadConfig c, int rows) {
        return c.l2() > 0 ? new AdaGradRDA(c.learningRate(), ADAGRAD_EPSILON, 0, c.l2(), rows)
                : new AdaGrad(c.learningRate(), ADAGRAD_EPSILON);
    }

    /** The loss a trainer minimises, in words. */
    static String objective(HeadTask task, TrainerKind kind) {
        return switch (kind) {
            case LOGISTIC -> task == HeadTask.MULTI_LABEL ? "binary cross-entropy (sigmoid per label)"
                    : "multinomial log loss (softmax)";
            case LINEAR_SGD -> task == HeadTask.REGRESSION ? "squared loss" : "hinge";
            case LIBLINEAR -> task == HeadTask.REGRESSION ? LIBLINEAR_REGRESSOR.name() : LIBLINEAR_CLASSIFIER.name();
            case XGBOOST -> task == HeadTask.REGRESSION ? "reg:squarederror" : "multi:softprob";
        };
    }

    /** The multi-label decision threshold a trainer's scores call for. */
    static double naturalThreshold(TrainerKind kind) {
        return kind == TrainerKind.LOGISTIC ? 0.5 : 0.0;
    }

    /**
     * Every setting that decides the trained model, in a fixed order: the data columns and split,
     * the trainer and its options (only those it reads), and the fixed choices above.
     */
    static Map<String, Object> settings(TribuoHeadConfig c, TrainerKind kind) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("task", c.task().yamlName());
        s.put("trainer", kind.yamlName());
        s.put("objective", objective(c.task(), kind));
        s.put("text-column", c.textColumn());
        s.put("label-column", c.labelColumn());
        if (c.task() == HeadTask.MULTI_LABEL) {
            s.put("label-separator", c.labelSeparator());
        }
        if (c.evaluationData() == null) {
            s.put("held-out", c.heldOut());
        }
        s.put("seed", c.seed());
        switch (kind) {
            case LOGISTIC, LINEAR_SGD -> {
                s.put("epochs", c.epochs());
                s.put("learning-rate", c.learningRate());
                s.put("l2", c.l2());
                s.put("optimiser", c.l2() > 0 ? "AdaGradRDA" : "AdaGrad");
                s.put("adagrad-epsilon", ADAGRAD_EPSILON);
                s.put("minibatch", MINIBATCH);
            }
            case LIBLINEAR -> {
                s.put("cost", c.cost());
                s.put("max-iterations", LIBLINEAR_MAX_ITERATIONS);
                s.put("tolerance", LIBLINEAR_TOLERANCE);
                if (c.task() == HeadTask.REGRESSION) {
                    s.put("svr-epsilon", LIBLINEAR_SVR_EPSILON);
                }
            }
            case XGBOOST -> {
                s.put("trees", c.trees());
                s.put("max-depth", c.maxDepth());
                s.put("eta", XGBOOST_ETA);
                s.put("min-child-weight", XGBOOST_MIN_CHILD_WEIGHT);
                s.put("lambda", XGBOOST_LAMBDA);
                s.put("threads", XGBOOST_THREADS);
            }
        }
        return s;
    }
}
