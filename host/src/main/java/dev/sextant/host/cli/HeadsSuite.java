package dev.sextant.host.cli;

import dev.sextant.host.pipeline.PipelineHeads;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.render.HeadsText;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.TrainableHead;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Held-out scores of task heads, from Tribuo's evaluators: every trainable head of the pipeline
 * file (or of one pipeline with {@code --pipeline}), trained first if the cache has no model. The
 * heads name their own data; this suite reads no evaluation file.
 */
final class HeadsSuite extends EvalSuite {

    /** Per task, the metrics that go into the RESULT line. */
    private static final Map<HeadTask, List<String>> RESULT_METRICS = Map.of(
            HeadTask.CLASSIFICATION, List.of("macro_f1", "accuracy"),
            HeadTask.MULTI_LABEL, List.of("macro_f1", "micro_f1"),
            HeadTask.REGRESSION, List.of("r2", "rmse"));

    @Override
    public String name() {
        return "heads";
    }

    @Override
    public boolean readsFile() {
        return false;
    }

    @Override
    public String defaultPipeline() {
        return null;
    }

    @Override
    public EvalReport evaluate(PipelineSet set, String pipeline, Path data, int limit, PrintStream progress)
            throws SextantException {
        Map<String, TrainableHead> heads = pipeline == null ? PipelineHeads.all(set) : PipelineHeads.of(set, pipeline);
        long start = System.nanoTime();
        List<HeadEvaluation> evaluations = PipelineHeads.evaluate(heads, new ProgressPrinter(progress, "heads"));
        EvalReport report = new EvalReport(name());
        double worstOnnx = Double.NaN;
        for (HeadEvaluation e : evaluations) {
            for (String metric : RESULT_METRICS.get(e.task())) {
                Double value = e.metrics().get(metric);
                if (value != null) {
                    report.result(e.head() + "_" + metric, value);
                }
            }
            Double onnx = e.metrics().get("onnx_max_abs_diff");
            if (onnx != null) {
                worstOnnx = Double.isNaN(worstOnnx) ? onnx : Math.max(worstOnnx, onnx);
            }
        }
        report.detail("heads", Integer.toString(evaluations.size()));
        report.detail("pipeline", pipeline == null ? "all heads of " + set.file().path() : pipeline);
        if (!Double.isNaN(worstOnnx)) {
            report.detail("largest ONNX-vs-Tribuo score difference", String.format(Locale.ROOT, "%.2e", worstOnnx));
        }
        report.detail("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        report.section(HeadsText.evaluations(evaluations));
        return report;
    }
}
