package dev.sextant.bench;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.cli.Views;
import dev.sextant.host.config.RequestConstraints;
import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Token masks of the json-schema processor over the project's schema corpus, for one vocabulary: each
 * schema is compiled as a request's constraint would be (bound and created through the plugin, then
 * prepared for the vocabulary: the compile time), then walked a few times by seeded random walks that
 * choose uniformly among the allowed tokens (each step's {@code allowed} plus {@code advance} timed).
 * A schema the plugin refuses counts as unsupported, with the first words of its reason.
 */
final class SchemaCorpusMasks {

    /** Where the corpus lives, from the repository root. */
    static final String CORPUS = "plugins/constraints/src/test/resources/schema-corpus";
    static final int WALKS = Integer.getInteger("constraints.schema-walks", 3);
    static final int MAX_STEPS = 120;

    /** One vocabulary's figures over the corpus. */
    record Result(String vocabulary, int size, int schemas, int supported, List<Double> compileMs,
            List<Double> stepUs, List<Double> firstWalkUs, List<Double> laterWalkUs, Map<String, Integer> refusals) {
    }

    private final List<Map<String, Object>> schemas;
    private final List<String> names;

    private SchemaCorpusMasks(List<Map<String, Object>> schemas, List<String> names) {
        this.schemas = schemas;
        this.names = names;
    }

    /** Reads every {@code *.json} schema of the corpus folder, in name order. */
    @SuppressWarnings("unchecked")
    static SchemaCorpusMasks read(Path root) throws IOException {
        Path dir = root.resolve(CORPUS);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the schema corpus " + CORPUS + " is missing");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        List<Map<String, Object>> schemas = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            schemas.add(Views.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8), Map.class));
            names.add(file.getFileName().toString());
        }
        return new SchemaCorpusMasks(schemas, names);
    }

    int size() {
        return schemas.size();
    }

    Result measure(SextantEngine engine, String name, Tokenizer tokenizer, ModelInfo info) {
        RequestConstraints compiler = new RequestConstraints(engine.plugins());
        List<Double> compile = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> later = new ArrayList<>();
        Map<String, Integer> refusals = new TreeMap<>();
        long[] bits = new long[(tokenizer.vocabSize() + 63) / 64];
        int supported = 0;
        for (int n = 0; n < schemas.size(); n++) {
            Constraint constraint;
            long c0 = System.nanoTime();
            try {
                LogitsProcessor component = compiler.processor(Map.of("json-schema", schemas.get(n)));
                constraint = ((ConstraintProcessor) component.prepare(tokenizer, info)).constraint();
            } catch (Exception e) {
                refusals.merge(reason(e.getMessage()), 1, Integer::sum);
                continue;
            }
            compile.add((System.nanoTime() - c0) / 1e6);
            supported++;
            SplittableRandom random = new SplittableRandom(n * 7919L + 3);
            for (int walk = 0; walk < WALKS; walk++) {
                ConstraintState state = constraint.start();
                for (int step = 0; step < MAX_STEPS; step++) {
                    ConstraintsBench.Step timed = ConstraintsBench.Step.take(state, bits, tokenizer.vocabSize(), info,
                            random);
                    all.add(timed.us());
                    (walk == 0 ? first : later).add(timed.us());
                    if (timed.end()) {
                        break;
                    }
                }
            }
        }
        return new Result(name, tokenizer.vocabSize(), schemas.size(), supported, compile, all, first, later,
                refusals);
    }

    /** The kind of a refusal: the keyword it names, or its first words. */
    private static String reason(String message) {
        String m = message == null ? "?" : message;
        java.util.regex.Matcher keyword = java.util.regex.Pattern.compile("'([A-Za-z$]+)' is not supported").matcher(m);
        if (keyword.find()) {
            return "keyword " + keyword.group(1);
        }
        int colon = m.lastIndexOf(": ");
        String tail = colon >= 0 ? m.substring(colon + 2) : m;
        String[] words = tail.split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(6, words.length)));
    }

    String name(int n) {
        return names.get(n);
    }
}
