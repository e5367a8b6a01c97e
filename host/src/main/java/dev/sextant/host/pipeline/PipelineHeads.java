package dev.sextant.host.pipeline;

import dev.sextant.spi.InputException;
import dev.sextant.spi.Progress;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.TrainableHead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The heads of a pipeline file, for the front ends' {@code heads train}, {@code heads eval} and
 * batch prediction: the same operations for the command line, the shell and the REST API.
 */
public final class PipelineHeads {

    private PipelineHeads() {
    }

    /**
     * The trainable heads a pipeline's heads steps use, in order.
     *
     * @throws InputException if the pipeline has no heads step
     */
    public static Map<String, TrainableHead> of(PipelineSet set, String pipeline) throws SextantException {
        Map<String, TrainableHead> heads = new LinkedHashMap<>();
        for (Step step : set.pipeline(pipeline).steps()) {
            if (step instanceof HeadsStep h) {
                for (String name : h.runner().headNames()) {
                    if (set.component(name) instanceof TrainableHead head) {
                        heads.put(name, head);
                    }
                }
            }
        }
        if (heads.isEmpty()) {
            throw new InputException("pipeline '" + pipeline + "' has no heads step with trainable heads; pipelines"
                    + " with one: " + orNone(withHeads(set)));
        }
        return heads;
    }

    /** Every trainable head component of the file, in file order. */
    public static Map<String, TrainableHead> all(PipelineSet set) throws InputException {
        Map<String, TrainableHead> heads = new LinkedHashMap<>();
        for (String name : set.file().components().keySet()) {
            if (set.component(name) instanceof TrainableHead head) {
                heads.put(name, head);
            }
        }
        if (heads.isEmpty()) {
            throw new InputException("the pipeline file " + set.file().path() + " has no trainable heads"
                    + (set.componentFailures().isEmpty() ? "" : "; components that failed: "
                    + set.componentFailures().keySet()));
        }
        return heads;
    }

    /** Names of the pipelines that can run and have a heads step. */
    public static List<String> withHeads(PipelineSet set) {
        List<String> names = new ArrayList<>();
        for (Pipeline p : set.pipelines().values()) {
            if (p.steps().stream().anyMatch(HeadsStep.class::isInstance)) {
                names.add(p.name());
            }
        }
        return names;
    }

    /** Trains (or loads from the cache) every head, one after another. */
    public static List<HeadTraining> train(Map<String, TrainableHead> heads, boolean retrain, Progress progress)
            throws SextantException {
        List<HeadTraining> out = new ArrayList<>();
        for (TrainableHead head : heads.values()) {
            out.add(head.train(retrain, progress));
        }
        return out;
    }

    /** Evaluates every head on its held-out data. */
    public static List<HeadEvaluation> evaluate(Map<String, TrainableHead> heads, Progress progress)
            throws SextantException {
        List<HeadEvaluation> out = new ArrayList<>();
        for (TrainableHead head : heads.values()) {
            out.add(head.evaluate(progress));
        }
        return out;
    }

    /**
     * Predicts many texts with a pipeline's heads step: one batched encoder pass for all texts.
     *
     * @throws InputException if the pipeline has no heads step or a text is blank
     */
    public static MultiHeadRunner.Result predict(PipelineSet set, String pipeline, List<String> texts,
            RunLimits limits) throws SextantException {
        MultiHeadRunner runner = null;
        for (Step step : set.pipeline(pipeline).steps()) {
            if (step instanceof HeadsStep h) {
                runner = h.runner();
            }
        }
        if (runner == null) {
            throw new InputException("pipeline '" + pipeline + "' has no heads step; pipelines with one: "
                    + orNone(withHeads(set)));
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new InputException("text " + i + " is empty: every text needs some words");
            }
        }
        return runner.predict(texts, limits);
    }

    private static String orNone(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
