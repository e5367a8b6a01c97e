package dev.sextant.bench;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sextant's ReAGent (PF4J plugin, through the SPI) vs {@link InseqStyleReagent}, the inseq loop
 * ported to a raw ONNX Runtime session: same model file, thread count, prompts, settings and seeds.
 * Attributes the first answer token of held-out fact questions of about 40 tokens. Reports wall
 * time and model calls per attributed token, and how often both give the same top-3 tokens.
 */
final class ReagentBench {

    static final String NAME = "reagent";
    /** Prompts and seeds per prompt; {@code -Dreagent.prompts=N -Dreagent.seeds=N} (in BENCH_JAVA_OPTS) change them. */
    static final int PROMPTS = Integer.getInteger("reagent.prompts", 4);
    static final int SEEDS = Integer.getInteger("reagent.seeds", 3);
    static final int MIN_TOKENS = 35;
    static final int MAX_TOKENS = 45;

    private final BenchOptions options;
    private final PrintStream out;

    ReagentBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    private record Case(String prompt, int[] ids, int target) {
    }

    /** @return true if the two agree on the top 3 in at least 95% of the cases */
    boolean run() throws Exception {
        Path pipelineFile = options.pipelines(NAME);
        try (SextantEngine engine = SextantEngine.start(options.pluginsDir(), Map.of());
                PipelineSet set = engine.load(pipelineFile)) {
            if (!(set.component("story-lm") instanceof LanguageModel model)
                    || !(set.component("reagent") instanceof Attributor reagent)) {
                throw new IllegalStateException(pipelineFile + " must declare components story-lm and reagent ("
                        + set.componentFailures() + ")");
            }
            Record config = set.file().components().get("reagent").config();
            Map<String, Object> settings = new java.util.LinkedHashMap<>();
            for (java.lang.reflect.RecordComponent component : config.getClass().getRecordComponents()) {
                settings.put(component.getName(), component.getAccessor().invoke(config));
            }
            if (!"uniform".equals(settings.get("replacer"))) {
                throw new IllegalStateException("the port replaces tokens uniformly; set replacer: uniform");
            }
            if (intOption(settings, "minProbeSteps") != 0 || intOption(settings, "keepTopN") == 0) {
                throw new IllegalStateException("the port follows inseq: min-probe-steps 0 and a keep-top-n above 0");
            }
            InseqStyleReagent.Settings portSettings = new InseqStyleReagent.Settings(
                    intOption(settings, "probes"), doubleOption(settings, "replacingRatio"),
                    intOption(settings, "keepTopN"), intOption(settings, "stopTopK"),
                    intOption(settings, "maxProbeSteps"));
            Map<String, String> provenance = model.info().provenance();
            int threads = Integer.parseInt(provenance.getOrDefault("intra-op-threads", "1"));
            Path modelFile = Path.of(provenance.get("path")).resolve("model.onnx");
            List<Case> cases = cases(set, model);
            Set<Integer> special = new HashSet<>(model.tokenizer().specialTokenIds());
            special.addAll(model.info().eosTokenIds());
            int vocab = Math.min(model.info().vocabSize(), model.tokenizer().vocabSize());
            int[] samplable = IntStream.range(0, vocab).filter(i -> !special.contains(i)).toArray();

            out.printf(Locale.ROOT, "ReAGent: Sextant vs an inseq-style port (raw ONNX Runtime), model %s, %d intra-op"
                    + " thread(s)%nsettings: %s%n", model.info().name(), threads, settings);
            List<String[]> table = new ArrayList<>();
            LanguageModel parallelModel = set.component("story-lm-parallel") instanceof LanguageModel m ? m : null;
            table.add(new String[] {"prompt", "tokens", "seed", "sextant ms", "port ms", "sextant calls",
                "port passes", "same top-3", "2 calls at once ms"});
            double parallelNanos = 0;
            double oursNanos = 0;
            double portNanos = 0;
            long oursCalls = 0;
            long portPasses = 0;
            int agree = 0;
            int runs = 0;
            try (InseqStyleReagent port = new InseqStyleReagent(modelFile, threads)) {
                // warm-up: both paths once on the first case
                Case warm = cases.get(0);
                reagent.attribute(model, request(warm, 1));
                if (parallelModel != null) {
                    reagent.attribute(parallelModel, request(warm, 1));
                }
                port.attribute(warm.ids(), warm.target(), candidates(warm.ids(), special), samplable, 1, portSettings);
                for (int c = 0; c < cases.size(); c++) {
                    Case k = cases.get(c);
                    int[] candidates = candidates(k.ids(), special);
                    for (int s = 0; s < SEEDS; s++) {
                        long seed = 100 + s;
                        long start = System.nanoTime();
                        Attribution a = reagent.attribute(model, request(k, seed));
                        long ours = System.nanoTime() - start;
                        long passesBefore = port.forwardPasses;
                        start = System.nanoTime();
                        double[] baseline = port.attribute(k.ids(), k.target(), candidates, samplable, seed,
                                portSettings);
                        long theirs = System.nanoTime() - start;
                        long passes = port.forwardPasses - passesBefore;
                        String parallelCell = "-";
                        if (parallelModel != null) {
                            start = System.nanoTime();
                            Attribution p = reagent.attribute(parallelModel, request(k, seed));
                            long both = System.nanoTime() - start;
                            parallelNanos += both;
                            parallelCell = String.format(Locale.ROOT, "%.0f", both / 1e6)
                                    + (Arrays.equals(p.scores()[0], a.scores()[0]) ? "" : " (differs)");
                        }
                        @SuppressWarnings("unchecked")
                        long calls = ((Number) ((Map<String, Object>) a.settings().get("run")).get("model_calls"))
                                .longValue();
                        boolean same = top3(a.scores()[0], k.ids().length).equals(top3(baseline, k.ids().length));
                        agree += same ? 1 : 0;
                        runs++;
                        oursNanos += ours;
                        portNanos += theirs;
                        oursCalls += calls;
                        portPasses += passes;
                        table.add(new String[] {"#" + (c + 1), Integer.toString(k.ids().length), Long.toString(seed),
                            String.format(Locale.ROOT, "%.0f", ours / 1e6),
                            String.format(Locale.ROOT, "%.0f", theirs / 1e6), Long.toString(calls),
                            Long.toString(passes), same ? "yes" : "no", parallelCell});
                    }
                }
            }
            out.print(dev.sextant.host.cli.Views.table(table));
            double speedup = portNanos / oursNanos;
            double agreement = agree / (double) runs;
            out.printf(Locale.ROOT, "per attributed token: sextant %.0f ms and %.1f model calls, port %.0f ms and %.1f"
                    + " forward passes%n", oursNanos / 1e6 / runs, oursCalls / (double) runs, portNanos / 1e6 / runs,
                    portPasses / (double) runs);
            String parallel = parallelModel == null ? ""
                    : String.format(Locale.ROOT, " speedup_2_calls_at_once=%.2f", portNanos / parallelNanos);
            out.printf(Locale.ROOT, "RESULT reagent speedup=%.2f agreement=%.3f ms_per_token=%.1f port_ms_per_token=%.1f"
                    + " calls_per_token=%.1f port_passes_per_token=%.1f threads=%d%s%n", speedup, agreement,
                    oursNanos / 1e6 / runs, portNanos / 1e6 / runs, oursCalls / (double) runs,
                    portPasses / (double) runs, threads, parallel);
            return agreement >= 0.95;
        }
    }

    private static AttributionRequest request(Case k, long seed) {
        return new AttributionRequest(k.prompt(), "", new int[] {k.target()}, 0, 1, seed, RunLimits.DEFAULT);
    }

    /** Fact questions of 35-45 tokens that the model answers correctly, from the evaluation set. */
    private List<Case> cases(PipelineSet set, LanguageModel model) throws Exception {
        Path data = options.root().resolve("models/eval/facts.jsonl");
        JsonMapper mapper = JsonMapper.builder().build();
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(data)) {
            JsonNode item = mapper.readTree(line);
            String prompt = item.get("prompt").asString();
            int[] ids = model.tokenizer().encode(prompt, true).ids();
            if (ids.length < MIN_TOKENS || ids.length > MAX_TOKENS) {
                continue;
            }
            PipelineResult result = set.run("answer", prompt, TokenListener.NONE, RunLimits.DEFAULT);
            if (!item.get("answer").asString().equals(String.valueOf(result.output()).trim())) {
                continue;
            }
            int[] generated = (int[]) ((Map<?, ?>) result.slots().get("generation")).get("token_ids");
            cases.add(new Case(prompt, ids, generated[0]));
            if (cases.size() == PROMPTS) {
                break;
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException("no fact question of " + MIN_TOKENS + "-" + MAX_TOKENS
                    + " tokens answered correctly in " + data);
        }
        return cases;
    }

    private static int[] candidates(int[] ids, Set<Integer> special) {
        return IntStream.range(0, ids.length).filter(c -> !special.contains(ids[c])).toArray();
    }

    private static List<Integer> top3(float[] scores, int columns) {
        double[] values = new double[columns];
        for (int c = 0; c < columns; c++) {
            values[c] = scores[c];
        }
        return top3(values, columns);
    }

    private static List<Integer> top3(double[] scores, int columns) {
        return IntStream.range(0, columns).boxed().sorted((a, b) -> Double.compare(scores[b], scores[a])).limit(3)
                .sorted().toList();
    }

    private static int intOption(Map<String, Object> settings, String key) {
        return Integer.parseInt(String.valueOf(settings.get(key)));
    }

    private static double doubleOption(Map<String, Object> settings, String key) {
        return Double.parseDouble(String.valueOf(settings.get(key)));
    }
}
