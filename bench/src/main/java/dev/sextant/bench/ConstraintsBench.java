package dev.sextant.bench;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.cli.Views;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.io.IOException;
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
 * Token-mask speed of the constraints plugin, one thread, per vocabulary (story-lm's 3000 tokens,
 * GPT-2's 50k, cl100k, o200k), on two corpora: the {@code regex} processor on a fixed list of patterns,
 * and the {@code json-schema} processor on the schema corpus the plugin's tests assemble
 * ({@link SchemaCorpusMasks}: compile time from the schema file to a constraint for the vocabulary,
 * the share of schemas supported, and the reasons for the rest). For each constraint, the time of
 * each step's mask ({@code ConstraintState.allowed} plus {@code advance}) along seeded random walks
 * ({@link MaskWalks}); first visits of states and cached ones are reported apart. Then the end-to-end
 * cost on story-lm: greedy generation of JSON records with a json-schema processor against without,
 * same prompts. Ends with {@code RESULT constraints vocab=<largest> mask_us_avg=... supported=...
 * regex_mask_us_avg=... e2e_slowdown=...} (unprefixed figures are the schema corpus's).
 */
final class ConstraintsBench {

    static final String NAME = "constraints";
    static final String[] VOCABULARIES = {"r50k_base", "cl100k_base", "o200k_base"};
    /** The regular-expression corpus. */
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
    /** Walks per regex pattern and vocabulary. */
    static final int WALKS = Integer.getInteger("constraints.walks", 20);
    /** Where each corpus schema's outcome is written, from the Sextant folder. */
    static final String OUTCOMES = "bench/target/constraints-schema-corpus.tsv";
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
                .append("\"}\n  greedy: {type: greedy}\n  warm-up: {type: regex, pattern: \"a\"}\n");
        for (int p = 0; p < PATTERNS.size(); p++) {
            yaml.append("  p").append(p).append(": {type: regex, pattern: '").append(PATTERNS.get(p).replace("'", "''"))
                    .append("'}\n");
        }
        yaml.append("  record: {type: json-schema, schema: {type: object, properties: {name: {type: string, maxLength: 16},"
                + " city: {type: string, maxLength: 20}, colour: {type: string, maxLength: 12}, job: {type: string,"
                + " maxLength: 16}, pet: {type: string, maxLength: 12}, age: {type: integer, minimum: 0, maximum: 120}},"
                + " required: [name]}}\n");
        // a pipeline file needs one pipeline; this one is never run
        yaml.append("pipelines:\n  constrained:\n    steps:\n      - generate: {model: story-lm, decoder: greedy,"
                + " processors: [p0]}\n");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        SchemaCorpusMasks.Result schemas;
        double[] endToEnd;
        try (SextantEngine engine = SextantEngine.start(options.pluginsDir(), Map.of());
                PipelineSet set = engine.load(file)) {
            if (!set.componentFailures().isEmpty()) {
                throw new IllegalStateException("components failed: " + set.componentFailures());
            }
            LanguageModel story = (LanguageModel) set.component("story-lm");
            rows.add(measure(set, "story-lm", story.tokenizer(), story.info()));
            endToEnd = endToEnd(set, story);
            // one large vocabulary at a time for the patterns, so that its masks go with it
            for (String name : VOCABULARIES) {
                TiktokenVocabulary vocabulary = TiktokenVocabulary.load(name);
                rows.add(measure(set, name, vocabulary, vocabulary.info()));
            }
            // all of them for the schemas: each schema's component is created once, then prepared and
            // walked for every vocabulary before it is dropped with its masks
            List<SchemaCorpusMasks.Vocabulary> vocabularies = new ArrayList<>();
            vocabularies.add(new SchemaCorpusMasks.Vocabulary("story-lm", story.tokenizer(), story.info()));
            for (String name : VOCABULARIES) {
                TiktokenVocabulary vocabulary = TiktokenVocabulary.load(name);
                vocabularies.add(new SchemaCorpusMasks.Vocabulary(name, vocabulary, vocabulary.info()));
                // the vocabulary's trie is built here, not in the first schema's compile time
                ((LogitsProcessor) set.component("warm-up")).prepare(vocabulary, vocabulary.info());
            }
            schemas = new SchemaCorpusMasks(engine.plugins(), SchemaCorpusFolder.folder(options.root()))
                    .run(vocabularies);
        } finally {
            Files.deleteIfExists(file);
        }
        printRegex(rows);
        printSchemas(schemas);
        writeOutcomes(schemas, options.root().resolve(OUTCOMES));
        out.printf(Locale.ROOT, "end to end, story-lm greedy on the first %d JSON-set prompts, %d passes after %d"
                + " warm-up: unconstrained %.4f ms/token (%d tokens), json-schema %.4f ms/token (%d tokens),"
                + " slowdown %.3f%n", E2E_PROMPTS, E2E_PASSES, E2E_WARMUP, endToEnd[0], (long) endToEnd[1],
                endToEnd[2], (long) endToEnd[3], endToEnd[2] / endToEnd[0]);
        Row regex = rows.get(rows.size() - 1);
        SchemaCorpusMasks.Row schema = schemas.rows().get(schemas.rows().size() - 1);
        int corpus = schemas.outcomes().size();
        out.printf(Locale.ROOT, "RESULT %s vocab=%s mask_us_avg=%.1f mask_us_p50=%.1f mask_us_p99=%.1f"
                + " compile_ms_avg=%.2f supported=%.3f schemas=%d over_compile_limit=%d regex_mask_us_avg=%.1f"
                + " regex_mask_us_p50=%.1f regex_mask_us_p99=%.1f regex_compile_ms_avg=%.2f e2e_slowdown=%.3f%n",
                NAME, schema.vocabulary(), schema.maskUsAvg(), schema.maskUsP50(), schema.maskUsP99(),
                schema.compileMsAvg(), schemas.supported() / (double) corpus, corpus, schemas.overLimit(),
                regex.maskUsAvg(), regex.maskUsP50(), regex.maskUsP99(), regex.compileMsAvg(),
                endToEnd[2] / endToEnd[0]);
        return true;
    }

    /**
     * Writes each schema's outcome (name, kind, supported or why not, creation ms) as tab-separated
     * lines, for whoever works on the compiler next.
     */
    private void writeOutcomes(SchemaCorpusMasks.Result result, Path file) throws IOException {
        StringBuilder tsv = new StringBuilder("schema\tkind\toutcome\tcreate_ms\n");
        for (SchemaCorpusMasks.Outcome o : result.outcomes()) {
            tsv.append(o.file().name()).append('\t').append(o.file().kind()).append('\t')
                    .append(o.supported() ? "supported" : o.reason()).append('\t').append(f(o.createMs(), 1))
                    .append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, tsv, StandardCharsets.UTF_8);
        out.println("each schema's outcome: " + options.root().relativize(file));
    }

    private void printRegex(List<Row> rows) {
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
                + " allowed tokens, at most %d steps)%n", PATTERNS.size(), WALKS, MaskWalks.MAX_STEPS);
        out.print(Views.table(table));
    }

    private void printSchemas(SchemaCorpusMasks.Result result) {
        int corpus = result.outcomes().size();
        out.printf(Locale.ROOT, "%njson-schema token masks, one thread, schema corpus of %d files: %d supported"
                + " (created within %d ms), %d seeded walks each (uniform among allowed tokens, at most %d steps);"
                + " compile = creating the component from its file + preparing it for the vocabulary%n", corpus,
                result.supported(), SchemaCorpusMasks.COMPILE_LIMIT_MS, SchemaCorpusMasks.WALKS, MaskWalks.MAX_STEPS);
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"vocabulary", "tokens", "compile ms avg / p50 / max", "of which prepare ms avg",
            "mask µs avg", "p50", "p99", "first walks avg", "later walks avg", "steps", "schemas supported"});
        for (SchemaCorpusMasks.Row r : result.rows()) {
            table.add(new String[] {r.vocabulary(), Integer.toString(r.size()), f(r.compileMsAvg(), 1) + " / "
                + f(r.compileMsP50(), 1) + " / " + f(r.compileMsMax(), 1), f(r.prepareMsAvg(), 2),
                f(r.maskUsAvg(), 1), f(r.maskUsP50(), 1), f(r.maskUsP99(), 1), f(r.firstWalksUsAvg(), 1),
                f(r.laterWalksUsAvg(), 2), Integer.toString(r.steps()), result.supported() + "/" + corpus});
        }
        out.print(Views.table(table));
        List<String[]> kinds = new ArrayList<>();
        kinds.add(new String[] {"kind", "files", "supported"});
        result.byKind().forEach((kind, counts) -> kinds.add(new String[] {kind, Integer.toString(counts[0]),
            Integer.toString(counts[1])}));
        out.print(Views.table(kinds));
        List<String[]> reasons = new ArrayList<>();
        reasons.add(new String[] {"not supported because", "schemas"});
        result.reasons().entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> reasons.add(new String[] {e.getKey(), Integer.toString(e.getValue())}));
        out.print(Views.table(reasons));
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

    private Row measure(PipelineSet set, String name, Tokenizer tokenizer, ModelInfo info) {
        long t0 = System.nanoTime();
        ((LogitsProcessor) set.component("warm-up")).prepare(tokenizer, info);
        double trieMs = (System.nanoTime() - t0) / 1e6;
        List<Double> compile = new ArrayList<>();
        MaskWalks walks = new MaskWalks();
        int supported = 0;
        for (int p = 0; p < PATTERNS.size(); p++) {
            long c0 = System.nanoTime();
            ConstraintProcessor processor = (ConstraintProcessor) ((LogitsProcessor) set.component("p" + p))
                    .prepare(tokenizer, info);
            Constraint constraint = processor.constraint();
            compile.add((System.nanoTime() - c0) / 1e6);
            supported++;
            walks.walk(constraint, info, WALKS, new SplittableRandom(p * 1000L + 17));
        }
        Stats stats = new Stats(walks.all());
        return new Row(name, tokenizer.vocabSize(), trieMs, mean(compile), compile.stream().mapToDouble(d -> d).max()
                .orElse(0), mean(walks.all()), stats.median(), stats.percentile(99), walks.firstWalksMean(),
                walks.laterWalksMean(), walks.steps(), supported);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
