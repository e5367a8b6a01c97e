package dev.sextant.plugins.tribuo;

import dev.sextant.spi.head.HeadTask;

/** Builds {@link TribuoHeadConfig}s for tests, starting from the documented defaults. */
final class HeadConfig {

    String encoder = "enc";
    HeadTask task = HeadTask.CLASSIFICATION;
    TrainerKind trainer;
    String data = "tickets.csv";
    String textColumn = "text";
    String labelColumn = "topic";
    double heldOut = 0.2;
    String evaluationData;
    long seed = 42;
    ServingRuntime runtime = ServingRuntime.TRIBUO;
    int epochs = 100;
    double learningRate = 0.5;
    double l2 = 0;
    double cost = 1.0;
    int trees = 50;
    int maxDepth = 6;
    Double threshold;
    String labelSeparator = ";";

    static HeadConfig classification(TrainerKind trainer) {
        HeadConfig c = new HeadConfig();
        c.trainer = trainer;
        return c;
    }

    static HeadConfig multiLabel(TrainerKind trainer) {
        HeadConfig c = classification(trainer);
        c.task = HeadTask.MULTI_LABEL;
        c.labelColumn = "tags";
        return c;
    }

    static HeadConfig regression(TrainerKind trainer) {
        HeadConfig c = classification(trainer);
        c.task = HeadTask.REGRESSION;
        c.labelColumn = "urgency";
        return c;
    }

    HeadConfig runtime(ServingRuntime value) {
        runtime = value;
        return this;
    }

    HeadConfig data(String value) {
        data = value;
        return this;
    }

    HeadConfig epochs(int value) {
        epochs = value;
        return this;
    }

    TribuoHeadConfig build() {
        return new TribuoHeadConfig(encoder, task, trainer, data, textColumn, labelColumn, heldOut, evaluationData,
                seed, runtime, epochs, learningRate, l2, cost, trees, maxDepth, threshold, labelSeparator);
    }
}
