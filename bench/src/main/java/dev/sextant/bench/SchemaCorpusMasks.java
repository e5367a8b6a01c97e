package dev.sextant.bench;

import dev.sextant.bench.SchemaCorpusFolder.SchemaFile;
import dev.sextant.host.plugin.PluginHost;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * The JSON Schema part of the constraints benchmark: every schema of the corpus
 * ({@link SchemaCorpusFolder}) made into a {@code json-schema} component from its file, prepared for
 * each vocabulary and walked through its masks ({@link MaskWalks}). The component is created once
 * (nothing in it depends on the vocabulary) and prepared once per vocabulary; its compile time for a
 * vocabulary is the two added. A schema is supported when its component is created within
 * {@link #COMPILE_LIMIT_MS}; the plugin's refusals are counted by the first words of their reason.
 */
final class SchemaCorpusMasks {

    /** Walks per schema and vocabulary; the first meets its states first. */
    static final int WALKS = Integer.getInteger("constraints.schema-walks", 3);
    /** A schema whose component takes longer to create counts as unsupported (and is stopped). */
    static final long COMPILE_LIMIT_MS = Long.getLong("constraints.compile-limit-ms", 1000);
    /** The reason given for a schema whose component was not created within the limit. */
    static final String OVER_LIMIT = "compile over the limit";
    /** Schemas created once, unmeasured, before the first measured one (the JIT's warm-up). */
    static final int WARM_UP = 10;

    /** A vocabulary to prepare components for. */
    record Vocabulary(String name, Tokenizer tokenizer, ModelInfo info) {
    }

    /** One vocabulary's figures over the supported schemas. */
    record Row(String vocabulary, int size, double compileMsAvg, double compileMsP50, double compileMsMax,
            double prepareMsAvg, double maskUsAvg, double maskUsP50, double maskUsP99, double firstWalksUsAvg,
            double laterWalksUsAvg, int steps) {
    }

    /** What became of one schema: supported, or the reason it is not. */
    record Outcome(SchemaFile file, boolean supported, String reason, double createMs) {
    }

    /** The rows per vocabulary and each schema's outcome. */
    record Result(List<Row> rows, List<Outcome> outcomes) {

        long supported() {
            return outcomes.stream().filter(Outcome::supported).count();
        }

        /** Schemas per kind: {files, supported}. */
        Map<String, int[]> byKind() {
            Map<String, int[]> kinds = new TreeMap<>();
            for (Outcome o : outcomes) {
                int[] counts = kinds.computeIfAbsent(o.file().kind(), k -> new int[2]);
                counts[0]++;
                counts[1] += o.supported() ? 1 : 0;
            }
            return kinds;
        }

        /** Schemas whose component was not created within the limit. */
        long overLimit() {
            return outcomes.stream().filter(o -> !o.supported() && o.reason().startsWith(OVER_LIMIT)).count();
        }

        /** Unsupported schemas per reason. */
        Map<String, Integer> reasons() {
            Map<String, Integer> reasons = new TreeMap<>();
            outcomes.stream().filter(o -> !o.supported()).forEach(o -> reasons.merge(o.reason(), 1, Integer::sum));
            return reasons;
        }
    }

    private final PluginHost plugins;
    private final Path folder;

    SchemaCorpusMasks(PluginHost plugins, Path folder) {
        this.plugins = plugins;
        this.folder = folder;
    }

    Result run(List<Vocabulary> vocabularies) throws Exception {
        List<SchemaFile> files = SchemaCorpusFolder.read(folder);
        SchemaComponents components = new SchemaComponents(plugins, folder);
        for (SchemaFile f : files.stream().filter(f -> f.kind().equals("gen")).limit(WARM_UP).toList()) {
            try {
                TimeLimited.call(() -> components.create(f.path().getFileName().toString(), "python"),
                        COMPILE_LIMIT_MS);
            } catch (Exception e) {
                // only warming up
            }
        }
        int n = vocabularies.size();
        List<List<Double>> compile = new ArrayList<>();
        List<List<Double>> prepare = new ArrayList<>();
        List<MaskWalks> walks = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            compile.add(new ArrayList<>());
            prepare.add(new ArrayList<>());
            walks.add(new MaskWalks());
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            SchemaFile f = files.get(i);
            long t0 = System.nanoTime();
            LogitsProcessor component;
            try {
                component = TimeLimited.call(() -> components.create(f.path().getFileName().toString(), "python"),
                        COMPILE_LIMIT_MS);
            } catch (TimeoutException e) {
                outcomes.add(new Outcome(f, false, OVER_LIMIT + " (" + COMPILE_LIMIT_MS + " ms)", COMPILE_LIMIT_MS));
                continue;
            } catch (ConfigException e) {
                outcomes.add(new Outcome(f, false, reason(e.getMessage()), (System.nanoTime() - t0) / 1e6));
                continue;
            } catch (Exception e) {
                // not a refusal the plugin meant: a failure inside it, counted apart
                outcomes.add(new Outcome(f, false, "failed: " + e.getClass().getSimpleName() + " "
                        + reason(e.getMessage()), (System.nanoTime() - t0) / 1e6));
                continue;
            }
            double createMs = (System.nanoTime() - t0) / 1e6;
            outcomes.add(new Outcome(f, true, null, createMs));
            for (int v = 0; v < n; v++) {
                Vocabulary vocabulary = vocabularies.get(v);
                long p0 = System.nanoTime();
                ConstraintProcessor prepared = (ConstraintProcessor) component.prepare(vocabulary.tokenizer(),
                        vocabulary.info());
                double prepareMs = (System.nanoTime() - p0) / 1e6;
                prepare.get(v).add(prepareMs);
                compile.get(v).add(createMs + prepareMs);
                walks.get(v).walk(prepared.constraint(), vocabulary.info(), WALKS,
                        new SplittableRandom(i * 1000L + 29));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            MaskWalks w = walks.get(v);
            Stats steps = new Stats(w.all());
            Stats compiled = new Stats(compile.get(v).stream().mapToDouble(Double::doubleValue).toArray());
            rows.add(new Row(vocabularies.get(v).name(), vocabularies.get(v).tokenizer().vocabSize(),
                    mean(compile.get(v)), compiled.median(), compiled.max(), mean(prepare.get(v)),
                    mean(w.all()), steps.median(), steps.percentile(99), w.firstWalksMean(), w.laterWalksMean(),
                    w.steps()));
        }
        return new Result(rows, outcomes);
    }

    /**
     * A refusal's reason without where it was found: "at /properties/tags/uniqueItems in x.json: keyword
     * 'uniqueItems' is not supported" becomes "keyword 'uniqueItems' is not supported"; references and
     * explanations in brackets are cut, so that refusals for the same reason count together.
     */
    static String reason(String message) {
        String m = message == null ? "" : message;
        int at = m.indexOf(".json: ");
        if (m.startsWith("at ") && at > 0) {
            m = m.substring(at + ".json: ".length());
        } else if (m.startsWith("at ") && m.indexOf(": ") > 0) {
            m = m.substring(m.indexOf(": ") + 2);
        }
        m = m.replaceAll(" in \\S+\\.json", "").replaceAll("#/\\S*", "#/...");
        for (String cut : List.of(" (", ";", ": ")) {
            int c = m.indexOf(cut);
            if (c > 0) {
                m = m.substring(0, c);
            }
        }
        String[] words = m.strip().split("\\s+");
        return String.join(" ", List.of(words).subList(0, Math.min(words.length, 8)));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }
}
