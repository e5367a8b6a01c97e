package dev.sextant.host.cli;

import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Extractive questions (the answer is a span of the context): the same prompts answered by greedy
 * decoding (the {@code answer} pipeline, or {@code --pipeline}) and by the {@code extract-answer}
 * pipeline (the {@code exact-extract} decoder); an answer is right when it equals the expected one,
 * trimmed. Also counts greedy answers that are not in the context at all.
 */
final class ExtractSuite extends EvalSuite {

    /** The pipeline that answers with exact-extract. */
    static final String EXACT = "extract-answer";

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public String defaultPipeline() {
        return "answer";
    }

    @Override
    public EvalReport evaluate(PipelineSet set, String pipeline, Path data, int limit, PrintStream progress)
            throws SextantException, IOException {
        if (!set.pipelines().containsKey(EXACT)) {
            throw new InputException("the pipeline file has no pipeline '" + EXACT + "'; the extract evaluation"
                    + " compares it (a generate step with an exact-extract decoder) with '" + pipeline + "'");
        }
        List<JsonNode> items = readItems(data, limit);
        int greedy = 0;
        int exact = 0;
        int greedyOutside = 0;
        long greedyNanos = 0;
        long exactNanos = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String prompt = field(item, "prompt", data, i);
            String answer = field(item, "answer", data, i).trim();
            String context = field(item, "context", data, i);
            long t0 = System.nanoTime();
            String g = output(set, pipeline, prompt);
            long t1 = System.nanoTime();
            String e = output(set, EXACT, prompt);
            long t2 = System.nanoTime();
            greedyNanos += t1 - t0;
            exactNanos += t2 - t1;
            greedy += g.equals(answer) ? 1 : 0;
            exact += e.equals(answer) ? 1 : 0;
            greedyOutside += g.isEmpty() || !(" " + context + " ").contains(" " + g + " ") ? 1 : 0;
            if (!g.equals(e) && examples.size() < 5) {
                examples.add("expected '" + answer + "': greedy '" + g + "', exact-extract '" + e + "'  <- "
                        + field(item, "question", data, i));
            }
            if ((i + 1) % 50 == 0 || i + 1 == items.size()) {
                progress.printf(Locale.ROOT, "extract: %d/%d, accuracy so far: exact-extract %.3f, greedy %.3f%n",
                        i + 1, items.size(), exact / (double) (i + 1), greedy / (double) (i + 1));
            }
        }
        int n = items.size();
        EvalReport report = new EvalReport(name())
                .result("exact_extract_accuracy", exact / (double) n)
                .result("greedy_accuracy", greedy / (double) n)
                .result("n", n)
                .detail("greedy answers not in the context", Integer.toString(greedyOutside))
                .detail("greedy ms per question", String.format(Locale.ROOT, "%.1f", greedyNanos / 1e6 / n))
                .detail("exact-extract ms per question", String.format(Locale.ROOT, "%.1f", exactNanos / 1e6 / n))
                .detail("pipelines", pipeline + " (greedy), " + EXACT)
                .detail("data", data.toString());
        examples.forEach(report::example);
        return report;
    }
}
