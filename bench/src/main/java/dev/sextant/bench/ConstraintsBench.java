package dev.sextant.bench;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.config.RequestConstraints;
import dev.sextant.host.cli.Views;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Token-mask speed of the constraints plugin's {@code regex} processor, one thread, per vocabulary
 * (story-lm's 3000 tokens, GPT-2's 50k, cl100k, o200k): for each pattern of a fixed corpus, the compile
 * time (automaton and liveness for one vocabulary, its trie already built) and the time of each step's
 * mask ({@code ConstraintState.allowed} plus {@code advance}) along seeded random walks that choose
 * uniformly among the allowed tokens until the text is complete. A state's mask is computed on its
 * first visit and cached, so the first walk of a pattern pays for the states it meets first; later
 * walks mostly hit the cache. Applying a mask to logits (a pass over the vocabulary) is left out, as
 * MaskBench leaves it out. Then the end-to-end cost on story-lm: greedy generation of JSON records
 * with a json-schema processor against without, same prompts. Ends with
 * {@code RESULT constraints vocab=<largest> mask_us_avg=... e2e_slowdown=...}.
 */
final class ConstraintsBench {

    static final String NAME = "constraints";
    /** jtokkit's vocabularies measured after story-lm's ({@code -Dconstraints.vocabularies=a,b} picks some). */
    static final String[] VOCABULARIES = System.getProperty("constraints.vocabularies", "r50k_base,cl100k_base,o200k_base")
            .split(",");
    /** The regular-expression corpus (JSON Schema's corpus is to come with its compiler). */
    static final List<String> PATTERNS = List.of(
            "\\{\"name\": \"[a-z ]{1,12}\", \"age\": (0|[1-9][0-9]?), \"city\": \"(oslo|paris|são paulo|東京)\"\\}",
            "[a-z0-9._%+-]{1,20}@[a-z0-9.-]{1,20}\\.[a-z]{2,6}",
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z",
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "\\[(-?\\d{1,5}(, -?\\d{1,5}){0,9})?\\]",
            "[A-Z][a-z ,]{10,80}\\.",
            "\\+?\\d{1,3}[ -]?\\(?\\d{3}\\)?[ -]?\\d{3}[ -]?\\d{4}",
            "(yes|no)",
            "\"([^\"\\\\\\x00-\\x1f]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}){0,40}\"",
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)",
            "[a-zà-ÿ]{1,20}( [a-zà-ÿ]{1,20}){0,3}",
            "\\{\"id\": \\d{1,6}, \"tags\": \\[(\"[a-z]{1,8}\"(, \"[a-z]{1,8}\"){0,4})?\\], \"score\": -?\\d{1,3}\\.\\d{1,2}\\}");
    static final int WALKS = Integer.getInteger("constraints.walks", 20);
    static final int MAX_STEPS = 120;
    static final int E2E_PROMPTS = 30;
    static final int E2E_WARMUP = 3;
    static final int E2E_PASSES = 5;

    private final BenchOptions options;
    private final PrintStream out;

    ConstraintsBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** One vocabulary's figures. */
    record Row(String vocabulary, int size, double trieMs, double compileMsAvg, double compileMsMax, double maskUsAvg,
            double maskUsP50, double maskUsP99, double coldUsAvg, double warmUsAvg, int steps, int supported) {
    }

    boolean run() throws Exception {
        Path file = Files.createTempFile("sextant-bench-constraints", ".yaml");
        StringBuilder yaml = new StringBuilder("components:\n  story-lm: {type: onnx-causal-lm, path: \"")
                .append(options.root().resolve("models/story-lm").toAbsolutePath().toString().replace('\\', '/'))
                .append("\"}\n  warm-up: {type: regex, pattern: \"a\"}\n");
        yaml.append("  record: {type: json-schema, schema: {type: object, properties: {name: {type: string, maxLength: 16},"
                + " city: {type: string, maxLength: 20}, colour: {type: string, maxLength: 12}, job: {type: string,"
                + " maxLength: 16}, pet: {type: string, maxLength: 12}, age: {type: integer, minimum: 0, maximum: 120}},"
                + " required: [name]}}\n");
        // a pipeline file needs one pipeline; this one is never run
        yaml.append("pipelines:\n  constrained:\n    steps:\n      - generate: {model: story-lm, decoder: greedy,"
                + " processors: [record]}\n");
        yaml.insert(yaml.indexOf("  warm-up:"), "  greedy: {type: greedy}\n");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        List<SchemaCorpusMasks.Result> corpusRows = new ArrayList<>();
        SchemaCorpusMasks corpus = SchemaCorpusMasks.read(options.root());
        double[] endToEnd;
        try (SextantEngine engine = SextantEngine.start(options.pluginsDir(), Map.of());
                PipelineSet set = engine.load(file)) {
            if (!set.componentFailures().isEmpty()) {
                throw new IllegalStateException("components failed: " + set.componentFailures());
            }
            LanguageModel story = (LanguageModel) set.component("story-lm");
            rows.add(measure(engine, set, "story-lm", story.tokenizer(), story.info()));
            corpusRows.add(corpus.measure(engine, "story-lm", story.tokenizer(), story.info()));
            endToEnd = endToEnd(set, story);
            for (String name : VOCABULARIES) {
                TiktokenVocabulary vocabulary = TiktokenVocabulary.load(name);
                rows.add(measure(engine, set, name, vocabulary, vocabulary.info()));
                corpusRows.add(corpus.measure(engine, name, vocabulary, vocabulary.info()));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"vocabulary", "tokens", "trie ms", "compile ms avg / max", "mask µs avg", "p50", "p99",
            "first walks avg", "later walks avg", "steps", "patterns compiled"});
        for (Row r : rows) {
            table.add(new String[] {r.vocabulary(), Integer.toString(r.size()), f(r.trieMs(), 1),
                f(r.compileMsAvg(), 2) + " / " + f(r.compileMsMax(), 2), f(r.maskUsAvg(), 1), f(r.maskUsP50(), 1),
                f(r.maskUsP99(), 1), f(r.coldUsAvg(), 1), f(r.warmUsAvg(), 2), Integer.toString(r.steps()),
                r.supported() + "/" + PATTERNS.size()});
        }
        out.printf(Locale.ROOT, "regex token masks, one thread, %d patterns, %d seeded walks each (uniform among"
                + " allowed tokens, at most %d steps)%n", PATTERNS.size(), WALKS, MAX_STEPS);
        out.print(Views.table(table));
        out.printf(Locale.ROOT, "end to end, story-lm greedy on the first %d JSON-set prompts, %d passes after %d"
                + " warm-up: unconstrained %.4f ms/token (%d tokens), json-schema %.4f ms/token (%d tokens),"
                + " slowdown %.3f%n", E2E_PROMPTS, E2E_PASSES, E2E_WARMUP, endToEnd[0], (long) endToEnd[1],
                endToEnd[2], (long) endToEnd[3], endToEnd[2] / endToEnd[0]);
        List<String[]> schemaTable = new ArrayList<>();
        schemaTable.add(new String[] {"vocabulary", "tokens", "supported", "compile ms avg / p99 / max", "mask µs avg",
            "p50", "p99", "first walks avg", "later walks avg", "steps"});
        for (SchemaCorpusMasks.Result r : corpusRows) {
            Stats compile = new Stats(r.compileMs().stream().mapToDouble(Double::doubleValue).toArray());
            Stats steps = new Stats(r.stepUs().stream().mapToDouble(Double::doubleValue).toArray());
            schemaTable.add(new String[] {r.vocabulary(), Integer.toString(r.size()), r.supported() + "/" + r.schemas(),
                f(mean(r.compileMs()), 2) + " / " + f(compile.percentile(99), 1) + " / " + f(compile.max(), 1),
                f(mean(r.stepUs()), 1), f(steps.median(), 1), f(steps.percentile(99), 1), f(mean(r.firstWalkUs()), 1),
                f(mean(r.laterWalkUs()), 2), Integer.toString(r.stepUs().size())});
        }
        out.printf(Locale.ROOT, "json-schema token masks over the schema corpus (%s, %d schemas), one thread, %d"
                + " seeded walks each (uniform among allowed tokens, at most %d steps)%n", SchemaCorpusMasks.CORPUS,
                corpus.size(), SchemaCorpusMasks.WALKS, SchemaCorpusMasks.MAX_STEPS);
        out.print(Views.table(schemaTable));
        SchemaCorpusMasks.Result big = corpusRows.get(corpusRows.size() - 1);
        if (!big.refusals().isEmpty()) {
            out.println("refused (" + big.vocabulary() + "): " + big.refusals());
        }
        Row largest = rows.get(rows.size() - 1);
        Stats bigSteps = new Stats(big.stepUs().stream().mapToDouble(Double::doubleValue).toArray());
        out.printf(Locale.ROOT, "RESULT %s vocab=%s mask_us_avg=%.1f mask_us_p50=%.1f mask_us_p99=%.1f"
                + " compile_ms_avg=%.2f supported=%.3f schemas=%d regex_mask_us_avg=%.1f regex_mask_us_p99=%.1f"
                + " regex_compile_ms_avg=%.2f e2e_slowdown=%.3f%n", NAME, big.vocabulary(), mean(big.stepUs()),
                bigSteps.median(), bigSteps.percentile(99), mean(big.compileMs()),
                big.supported() / (double) big.schemas(), big.schemas(), largest.maskUsAvg(), largest.maskUsP99(),
                largest.compileMsAvg(), endToEnd[2] / endToEnd[0]);
        return true;
    }

    /**
     * Greedy generation with and without the json-schema processor, same prompts, alternating per
     * prompt: {unconstrained ms/token, tokens, constrained ms/token, tokens} over the measured passes.
     */
    private double[] endToEnd(PipelineSet set, LanguageModel story) throws Exception {
        Decoder greedy = (Decoder) set.component("greedy");
        LogitsProcessor record = (LogitsProcessor) set.component("record");
        List<String> prompts = new ArrayList<>();
        for (String line : Files.readAllLines(options.root().resolve("models/eval/json.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && prompts.size() < E2E_PROMPTS) {
                prompts.add(Views.mapper().readTree(line).get("prompt").asString());
            }
        }
        long[] nanos = new long[2];
        long[] tokens = new long[2];
        for (int pass = 0; pass < E2E_WARMUP + E2E_PASSES; pass++) {
            for (int i = 0; i < prompts.size(); i++) {
                for (int k = 0; k < 2; k++) {
                    boolean constrained = (k + i + pass) % 2 == 1;
                    long t0 = System.nanoTime();
                    Generation g = greedy.generate(story, new GenerationRequest(List.of(prompts.get(i)), 64, List.of(),
                            constrained ? List.of(record) : List.of(), null, RunLimits.DEFAULT, false),
                            TokenListener.NONE);
                    long took = System.nanoTime() - t0;
                    if (pass >= E2E_WARMUP) {
                        nanos[constrained ? 1 : 0] += took;
                        tokens[constrained ? 1 : 0] += g.sequences().get(0).tokenIds().length;
                    }
                }
            }
        }
        return new double[] {nanos[0] / 1e6 / tokens[0], tokens[0], nanos[1] / 1e6 / tokens[1], tokens[1]};
    }

    private Row measure(SextantEngine engine, PipelineSet set, String name, Tokenizer tokenizer, ModelInfo info)
            throws Exception {
        RequestConstraints compiler = new RequestConstraints(engine.plugins());
        long t0 = System.nanoTime();
        ((LogitsProcessor) set.component("warm-up")).prepare(tokenizer, info);
        double trieMs = (System.nanoTime() - t0) / 1e6;
        List<Double> compile = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        int supported = 0;
        long[] bits = new long[(tokenizer.vocabSize() + 63) / 64];
        for (int p = 0; p < PATTERNS.size(); p++) {
            // compiled as a request's pattern is: the component made (parse, minimization), then prepared
            // for the vocabulary (liveness)
            long c0 = System.nanoTime();
            ConstraintProcessor processor = (ConstraintProcessor) compiler.processor(Map.of("regex", PATTERNS.get(p)))
                    .prepare(tokenizer, info);
            Constraint constraint = processor.constraint();
            compile.add((System.nanoTime() - c0) / 1e6);
            supported++;
            SplittableRandom random = new SplittableRandom(p * 1000L + 17);
            for (int walk = 0; walk < WALKS; walk++) {
                ConstraintState state = constraint.start();
                for (int step = 0; step < MAX_STEPS; step++) {
                    Step timed = Step.take(state, bits, tokenizer.vocabSize(), info, random);
                    all.add(timed.us());
                    (walk == 0 ? cold : warm).add(timed.us());
                    if (timed.end()) {
                        break;
                    }
                }
            }
        }
        Stats stats = new Stats(all.stream().mapToDouble(Double::doubleValue).toArray());
        return new Row(name, tokenizer.vocabSize(), trieMs, mean(compile), compile.stream().mapToDouble(d -> d).max()
                .orElse(0), mean(all), stats.median(), stats.percentile(99), mean(cold), mean(warm), all.size(),
                supported);
    }

    /** One step of a random walk: whether it ended the walk, and the constraint's time in microseconds. */
    record Step(boolean end, double us) {

        /**
         * Computes the mask, picks a token ({@link #pick}) and advances on it. Timed: the mask and the
         * advance, as MaskBench times them; the pick is the sampler's work and is left out.
         */
        static Step take(ConstraintState state, long[] bits, int size, ModelInfo info, SplittableRandom random) {
            long s0 = System.nanoTime();
            state.allowed(bits);
            long masked = System.nanoTime() - s0;
            int token = pick(bits, size, info, state.complete(), random);
            boolean end = token < 0 || info.eosTokenIds().contains(token);
            long a0 = System.nanoTime();
            if (!end) {
                state.advance(token);
            }
            return new Step(end, (masked + System.nanoTime() - a0) / 1e3);
        }
    }

    /**
     * A uniformly chosen allowed token; the end of text, when allowed, with probability 1/4; -1 if none.
     * Kept out of the timed step (it is the sampler's work, not the constraint's) and cheap anyway: whole
     * words of the mask are skipped by their bit counts.
     */
    static int pick(long[] bits, int size, ModelInfo info, boolean complete, SplittableRandom random) {
        if (complete && random.nextInt(4) == 0) {
            return info.eosTokenIds().iterator().next();
        }
        int count = 0;
        for (int w = 0; w < bits.length; w++) {
            count += Long.bitCount(bits[w]);
        }
        int[] ends = info.eosTokenIds().stream().mapToInt(Integer::intValue)
                .filter(id -> id < size && (bits[id >>> 6] & (1L << id)) != 0).toArray();
        count -= ends.length;
        if (count <= 0) {
            return ends.length == 0 ? -1 : ends[0];
        }
        int k = random.nextInt(count);
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            for (int id : ends) {
                if (id >>> 6 == w) {
                    word &= ~(1L << id);
                }
            }
            int here = Long.bitCount(word);
            if (k >= here) {
                k -= here;
                continue;
            }
            for (; k > 0; k--) {
                word &= word - 1;
            }
            return w * 64 + Long.numberOfTrailingZeros(word);
        }
        return -1;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
