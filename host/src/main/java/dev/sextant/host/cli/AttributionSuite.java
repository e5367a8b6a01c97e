package dev.sextant.host.cli;

import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Attribution against known evidence, on the forge's long-range-recall set: the prompt states a fact
 * early, among distractor sentences, then asks for it. For every item the model answers correctly,
 * each method explains the answer's first token, and we ask whether the highest-ranked context
 * token lies in the evidence sentence (recall@1, @3). Ranks are taken over the context (the text
 * before {@code " question :"}): the question and the {@code answer :} template are needed for any
 * answer, so they are not evidence for this one.
 *
 * <p>Faithfulness without ground truth (ERASER): comprehensiveness is the drop in the target's
 * probability when the top k% of prompt tokens are removed, sufficiency the drop when only they are
 * kept, averaged over k in {@link #FRACTIONS}; both are reported as ratios to the random method's.
 */
final class AttributionSuite extends EvalSuite {

    static final List<String> METHODS = List.of("reagent", "occlusion", "random");
    static final double[] FRACTIONS = {0.05, 0.1, 0.2, 0.5};
    private static final String QUESTION = " question :";

    @Override
    public String name() {
        return "attribution";
    }

    @Override
    public String fileName() {
        return "recall.jsonl";
    }

    @Override
    public String defaultPipeline() {
        return "answer";
    }

    @Override
    public EvalReport evaluate(PipelineSet set, String pipeline, Path data, int limit, PrintStream progress)
            throws SextantException, IOException {
        List<JsonNode> items = readItems(data, limit);
        Map<String, Attributor> methods = components(set, METHODS, Attributor.class, "attributor");
        Map<String, Tally> tallies = new LinkedHashMap<>();
        methods.keySet().forEach(m -> tallies.put(m, new Tally()));
        int answered = 0;
        long started = System.nanoTime();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String prompt = field(item, "prompt", data, i);
            String answer = field(item, "answer", data, i);
            PipelineResult result = set.run(pipeline, prompt, TokenListener.NONE, RunLimits.DEFAULT);
            if (!Objects.requireNonNullElse(result.output(), "").trim().equals(answer.trim())
                    || !(result.slots().get("generation") instanceof Map<?, ?> generation)
                    || !(generation.get("token_ids") instanceof int[] ids) || ids.length == 0
                    || !(set.component(String.valueOf(generation.get("model"))) instanceof LanguageModel model)) {
                continue;
            }
            answered++;
            int[][] evidence = spans(item.get("evidence"), data, i);
            int contextEnd = prompt.indexOf(QUESTION) < 0 ? prompt.length() : prompt.indexOf(QUESTION);
            AttributionRequest request = new AttributionRequest(prompt, result.output(), new int[] {ids[0]}, 0, 1,
                    1000L + i, RunLimits.DEFAULT);
            for (Map.Entry<String, Attributor> method : methods.entrySet()) {
                long start = System.nanoTime();
                Attribution a = method.getValue().attribute(model, request);
                Tally tally = tallies.get(method.getKey());
                tally.nanos += System.nanoTime() - start;
                tally.add(a, evidence, contextEnd);
                Faithfulness.add(model, prompt, ids[0], a, tally);
            }
            // every item: one ReAGent attribution can take many seconds
            progress.printf(Locale.ROOT, "attribution: %d/%d items, %d answered, %.0f s; recall@1 so far %s%n",
                    i + 1, items.size(), answered, (System.nanoTime() - started) / 1e9, summary(tallies));
        }
        if (answered == 0) {
            throw new InputException("the model answered none of the " + items.size() + " items correctly;"
                    + " attribution is scored on correctly answered items only");
        }
        EvalReport report = new EvalReport(name());
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            report.result(e.getKey() + "_recall1", e.getValue().recall1 / (double) answered);
            report.result(e.getKey() + "_recall3", e.getValue().recall3 / (double) answered);
        }
        Tally random = tallies.get("random");
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            if (e.getValue() != random) {
                report.result(e.getKey() + "_comprehensiveness_vs_random",
                        e.getValue().comprehensiveness / random.comprehensiveness);
                report.result(e.getKey() + "_sufficiency_vs_random", e.getValue().sufficiency / random.sufficiency);
            }
        }
        report.result("n", answered);
        report.detail("items", Integer.toString(items.size()));
        report.detail("answered correctly (scored)", String.format(Locale.ROOT, "%d (%.3f)", answered,
                answered / (double) items.size()));
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            report.detail(e.getKey() + " recall@1 over the whole prompt",
                    String.format(Locale.ROOT, "%.4f", t.wholePromptRecall1 / (double) answered));
            report.detail(e.getKey() + " comprehensiveness / sufficiency (mean drop)", String.format(Locale.ROOT,
                    "%.4f / %.4f", t.comprehensiveness / answered, t.sufficiency / answered));
            report.detail(e.getKey() + " seconds per attributed token",
                    String.format(Locale.ROOT, "%.3f", t.nanos / 1e9 / answered));
        }
        report.detail("pipeline", pipeline);
        report.detail("data", data.toString());
        return report;
    }

    private static String summary(Map<String, Tally> tallies) {
        List<String> parts = new ArrayList<>();
        tallies.forEach((m, t) -> parts.add(m + " " + t.recall1));
        return String.join(", ", parts);
    }

    private static int[][] spans(JsonNode evidence, Path data, int index) throws InputException {
        if (evidence == null || !evidence.isArray() || evidence.isEmpty()) {
            throw new InputException(data + ": item " + (index + 1) + " has no 'evidence' spans");
        }
        int[][] out = new int[evidence.size()][];
        for (int s = 0; s < out.length; s++) {
            JsonNode span = evidence.get(s);
            if (!span.isArray() || span.size() != 2 || !span.get(0).isInt() || !span.get(1).isInt()) {
                throw new InputException(data + ": item " + (index + 1) + " has an evidence span that is not"
                        + " [start, end]");
            }
            out[s] = new int[] {span.get(0).asInt(), span.get(1).asInt()};
        }
        return out;
    }

    /** Running sums of one method. */
    static final class Tally {
        int recall1;
        int recall3;
        int wholePromptRecall1;
        double comprehensiveness;
        double sufficiency;
        long nanos;

        void add(Attribution a, int[][] evidence, int contextEnd) {
            int[] whole = a.ranking(0);
            int[] context = Arrays.stream(whole).filter(c -> a.ends()[c] <= contextEnd).toArray();
            if (whole.length > 0 && inEvidence(a, whole[0], evidence)) {
                wholePromptRecall1++;
            }
            for (int k = 0; k < Math.min(3, context.length); k++) {
                if (inEvidence(a, context[k], evidence)) {
                    recall1 += k == 0 ? 1 : 0;
                    recall3++;
                    break;
                }
            }
        }

        private static boolean inEvidence(Attribution a, int column, int[][] evidence) {
            for (int[] span : evidence) {
                if (a.starts()[column] < span[1] && a.ends()[column] > span[0]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** ERASER's comprehensiveness and sufficiency of one attribution row, added to a tally. */
    static final class Faithfulness {

        private Faithfulness() {
        }

        static void add(LanguageModel model, String prompt, int target, Attribution a, Tally tally)
                throws SextantException {
            int[] ranking = a.ranking(0);
            // the attributor encoded the prompt the same way, so its columns are these ids
            int[] ids = model.tokenizer().encode(prompt, true).ids();
            List<int[]> sequences = new ArrayList<>();
            for (double fraction : FRACTIONS) {
                int k = Math.max(1, (int) Math.ceil(fraction * ranking.length));
                boolean[] top = new boolean[ids.length];
                for (int i = 0; i < k; i++) {
                    top[ranking[i]] = true;
                }
                sequences.add(keep(ids, top, false));
                sequences.add(keep(ids, top, true));
            }
            float[][] logits = model.nextTokenLogits(sequences, RunLimits.DEFAULT);
            double original = a.targetProbabilities()[0];
            double comprehensiveness = 0;
            double sufficiency = 0;
            for (int f = 0; f < FRACTIONS.length; f++) {
                comprehensiveness += original - probability(logits[2 * f], target);
                sufficiency += original - probability(logits[2 * f + 1], target);
            }
            tally.comprehensiveness += comprehensiveness / FRACTIONS.length;
            tally.sufficiency += sufficiency / FRACTIONS.length;
        }

        /** The tokens marked {@code top} (when {@code wanted}) or the others; never empty. */
        private static int[] keep(int[] ids, boolean[] top, boolean wanted) {
            int[] out = java.util.stream.IntStream.range(0, ids.length).filter(i -> top[i] == wanted)
                    .map(i -> ids[i]).toArray();
            return out.length > 0 ? out : new int[] {ids[ids.length - 1]};
        }

        private static double probability(float[] logits, int id) {
            double max = Double.NEGATIVE_INFINITY;
            for (float x : logits) {
                max = Math.max(max, x);
            }
            double sum = 0;
            for (float x : logits) {
                sum += Math.exp(x - max);
            }
            return Math.exp(logits[id] - max) / sum;
        }
    }
}
