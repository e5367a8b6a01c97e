package dev.sextant.host.cli;

import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.WordScore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Prompt compression on the forge's compression set: each context holds filler words the generator
 * tagged as droppable (removing all of them never changes the answer). Every compressor shrinks the
 * context to {@link #RATE} of its tokens; the pipeline then answers the question from
 * {@code "context : " + compressed + " question : " + question + " answer :"}.
 *
 * <ul>
 *   <li>Rate control: the largest |achieved - requested| rate, in points, over items and methods.
 *   <li>Answer retention: the share answered correctly, uncompressed and per method.
 *   <li>Tagger quality: the {@code llmlingua2} component's word keep scores against the generator's
 *       tags, a word predicted droppable when its score is below 0.5: precision and recall of
 *       "drop".
 * </ul>
 */
final class CompressionSuite extends EvalSuite {

    /** Component names compared, and the names their figures carry. */
    static final Map<String, String> METHODS = Map.of("llmlingua2", "llmlingua2", "llmlingua2-plain",
            "llmlingua2_plain", "self-information", "selfinfo", "random-drop", "random");
    static final List<String> ORDER = List.of("llmlingua2", "llmlingua2-plain", "self-information", "random-drop");
    static final double RATE = 0.5;
    static final String TAGGER = "llmlingua2";

    @Override
    public String name() {
        return "compression";
    }

    @Override
    public String defaultPipeline() {
        return "answer";
    }

    @Override
    public EvalReport evaluate(PipelineSet set, String pipeline, Path data, int limit, PrintStream progress)
            throws SextantException, IOException {
        List<JsonNode> items = readItems(data, limit);
        Map<String, Compressor> methods = components(set, ORDER, Compressor.class, "compressor");
        int full = 0;
        Map<String, Integer> correct = new LinkedHashMap<>();
        Map<String, Double> rateSum = new LinkedHashMap<>();
        Map<String, Long> nanos = new LinkedHashMap<>();
        methods.keySet().forEach(m -> {
            correct.put(m, 0);
            rateSum.put(m, 0.0);
            nanos.put(m, 0L);
        });
        double worstError = 0;
        String worstAt = "";
        long truePositive = 0;
        long predicted = 0;
        long actual = 0;
        long started = System.nanoTime();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String context = field(item, "context", data, i);
            String question = field(item, "question", data, i);
            String answer = field(item, "answer", data, i);
            if (answers(set, pipeline, context, question, answer)) {
                full++;
            }
            for (Map.Entry<String, Compressor> method : methods.entrySet()) {
                String name = method.getKey();
                long start = System.nanoTime();
                Compression c = method.getValue().compress(new CompressionRequest(context, question,
                        Budget.rate(RATE), RunLimits.DEFAULT));
                nanos.merge(name, System.nanoTime() - start, Long::sum);
                double error = Math.abs(c.achievedRate() - RATE) * 100;
                if (error > worstError) {
                    worstError = error;
                    worstAt = name + " on item " + (i + 1);
                }
                rateSum.merge(name, c.achievedRate(), Double::sum);
                if (answers(set, pipeline, c.text(), question, answer)) {
                    correct.merge(name, 1, Integer::sum);
                }
                if (name.equals(TAGGER)) {
                    boolean[] tags = tags(item.get("words"), context, data, i);
                    boolean[] drops = predictedDrops(context, c.words());
                    for (int w = 0; w < tags.length; w++) {
                        boolean filler = !tags[w];
                        actual += filler ? 1 : 0;
                        predicted += drops[w] ? 1 : 0;
                        truePositive += filler && drops[w] ? 1 : 0;
                    }
                }
            }
            if ((i + 1) % 25 == 0 || i + 1 == items.size()) {
                progress.printf(Locale.ROOT, "compression: %d/%d items, %.0f s; retention so far: full %.3f%s%n",
                        i + 1, items.size(), (System.nanoTime() - started) / 1e9, full / (double) (i + 1),
                        summary(correct, i + 1));
            }
        }
        int n = items.size();
        EvalReport report = new EvalReport(name())
                .result("rate_error_max", worstError)
                .result("retention_full", full / (double) n);
        for (String method : ORDER) {
            report.result("retention_" + METHODS.get(method), correct.get(method) / (double) n);
        }
        report.result("tagger_drop_precision", predicted == 0 ? 0 : truePositive / (double) predicted);
        report.result("tagger_drop_recall", actual == 0 ? 0 : truePositive / (double) actual);
        report.result("n", n);
        report.detail("requested rate", Double.toString(RATE));
        for (String method : ORDER) {
            report.detail(method + " mean achieved rate", String.format(Locale.ROOT, "%.4f", rateSum.get(method) / n));
            report.detail(method + " ms per context", String.format(Locale.ROOT, "%.1f", nanos.get(method) / 1e6 / n));
        }
        report.detail("largest rate error at", worstAt.isEmpty() ? "-" : worstAt);
        report.detail("filler words (generator tags)", Long.toString(actual));
        report.detail("words the tagger scored below 0.5", Long.toString(predicted));
        report.detail("pipeline", pipeline);
        report.detail("data", data.toString());
        return report;
    }

    private static String summary(Map<String, Integer> correct, int done) {
        StringBuilder out = new StringBuilder();
        correct.forEach((m, c) -> out.append(String.format(Locale.ROOT, ", %s %.3f", m, c / (double) done)));
        return out.toString();
    }

    private static boolean answers(PipelineSet set, String pipeline, String context, String question, String answer)
            throws SextantException {
        return output(set, pipeline, "context : " + context + " question : " + question + " answer :")
                .equals(answer.trim());
    }

    /** The generator's keep tag of each space-separated word of the context. */
    private static boolean[] tags(JsonNode words, String context, Path data, int index) throws InputException {
        String[] split = context.trim().split("\\s+");
        if (words == null || !words.isArray() || words.size() != split.length) {
            throw new InputException(data + ": item " + (index + 1) + " needs one entry in 'words' per"
                    + " space-separated word of its context");
        }
        boolean[] keep = new boolean[split.length];
        for (int w = 0; w < split.length; w++) {
            keep[w] = words.get(w).get("keep").asBoolean();
        }
        return keep;
    }

    /**
     * Whether the tagger would drop each space-separated word of the context: the mean keep score of
     * the scored words that overlap it is below 0.5.
     */
    static boolean[] predictedDrops(String context, List<WordScore> scores) {
        List<int[]> spans = new ArrayList<>();
        int at = 0;
        while (at < context.length()) {
            while (at < context.length() && Character.isWhitespace(context.charAt(at))) {
                at++;
            }
            int start = at;
            while (at < context.length() && !Character.isWhitespace(context.charAt(at))) {
                at++;
            }
            if (at > start) {
                spans.add(new int[] {start, at});
            }
        }
        boolean[] drops = new boolean[spans.size()];
        for (int w = 0; w < spans.size(); w++) {
            double sum = 0;
            int count = 0;
            for (WordScore s : scores) {
                if (s.span().start() < spans.get(w)[1] && s.span().end() > spans.get(w)[0]) {
                    sum += s.keepScore();
                    count++;
                }
            }
            drops[w] = count > 0 && sum / count < 0.5;
        }
        return drops;
    }
}
