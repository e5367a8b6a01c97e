package dev.sextant.host.cli;

import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.TokenListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * An evaluation set in {@code models/eval/*.jsonl} and how to score a pipeline on it.
 */
public abstract class EvalSuite {

    private static final Map<String, EvalSuite> SUITES = new LinkedHashMap<>();

    static {
        register(new FactsSuite());
        register(new AttributionSuite());
        register(new HeadsSuite());
        register(new CompressionSuite());
        register(new ExtractSuite());
    }

    private static void register(EvalSuite suite) {
        SUITES.put(suite.name(), suite);
    }

    /** Suite names. */
    public static List<String> names() {
        return List.copyOf(SUITES.keySet());
    }

    /** A suite by name. */
    public static EvalSuite named(String name) throws UsageException {
        EvalSuite suite = SUITES.get(name);
        if (suite == null) {
            throw new UsageException("unknown evaluation suite '" + name + "'; suites: " + String.join(", ", names()));
        }
        return suite;
    }

    /** The suite's name, e.g. {@code facts}. */
    public abstract String name();

    /** Whether the suite reads an evaluation file (and so takes {@code --file} and {@code --limit}). */
    public boolean readsFile() {
        return true;
    }

    /** The file under {@code models/eval}. */
    public String fileName() {
        return name() + ".jsonl";
    }

    /**
     * The pipeline of the default pipeline file that this suite evaluates unless told otherwise, or
     * {@code null} when the suite evaluates components of the whole file.
     */
    public abstract String defaultPipeline();

    /** Runs the suite; progress goes to {@code progress}. */
    public abstract EvalReport evaluate(PipelineSet set, String pipeline, Path data, int limit, PrintStream progress)
            throws SextantException, IOException;

    /** Reads a JSONL file; a bad line is an error naming file and line. */
    protected static List<JsonNode> readJsonLines(Path data, int limit) throws IOException, InputException {
        List<JsonNode> items = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null && items.size() < limit) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    items.add(Views.mapper().readTree(line));
                } catch (JacksonException e) {
                    throw new InputException(data + ":" + number + ": not a JSON object: " + e.getOriginalMessage());
                }
            }
        } catch (NoSuchFileException e) {
            throw new InputException("evaluation set " + data + " does not exist");
        }
        return items;
    }

    /** Reads the items of an evaluation set; a set without items is an error. */
    protected static List<JsonNode> readItems(Path data, int limit) throws IOException, InputException {
        List<JsonNode> items = readJsonLines(data, limit);
        if (items.isEmpty()) {
            throw new InputException("evaluation set " + data + " has no items");
        }
        return items;
    }

    /**
     * The components a suite compares, by name, in order.
     *
     * @param kind names the kind in the message, e.g. {@code compressor}
     * @throws InputException naming the first that is missing or of another type
     */
    protected <T> Map<String, T> components(PipelineSet set, List<String> names, Class<T> type, String kind)
            throws InputException {
        Map<String, T> found = new LinkedHashMap<>();
        for (String name : names) {
            Object component = set.component(name);
            if (!type.isInstance(component)) {
                throw new InputException("the pipeline file has no " + kind + " component '" + name + "'; "
                        + name() + " evaluation compares components named " + names);
            }
            found.put(name, type.cast(component));
        }
        return found;
    }

    /** The pipeline's output for {@code prompt}, trimmed (empty if it wrote none). */
    protected static String output(PipelineSet set, String pipeline, String prompt) throws SextantException {
        PipelineResult result = set.run(pipeline, prompt, TokenListener.NONE, RunLimits.DEFAULT);
        return Objects.requireNonNullElse(result.output(), "").trim();
    }

    /** Reads a required text field of an item. */
    protected static String field(JsonNode item, String name, Path data, int index) throws InputException {
        JsonNode value = item.get(name);
        if (value == null || !value.isString()) {
            throw new InputException(data + ": item " + (index + 1) + " has no text field '" + name + "'");
        }
        return value.asString();
    }

    /**
     * Held-out fact questions: the prompt states the fact, the answer must come from it. An answer is
     * right when the generated text, trimmed, equals the expected answer.
     */
    static final class FactsSuite extends EvalSuite {

        @Override
        public String name() {
            return "facts";
        }

        @Override
        public String defaultPipeline() {
            return "answer";
        }

        @Override
        public EvalReport evaluate(PipelineSet set, String pipeline, Path data, int limit, PrintStream progress)
                throws SextantException, IOException {
            List<JsonNode> items = readItems(data, limit);
            int correct = 0;
            long tokens = 0;
            List<String> mistakes = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < items.size(); i++) {
                String prompt = field(items.get(i), "prompt", data, i);
                String answer = field(items.get(i), "answer", data, i);
                PipelineResult result = set.run(pipeline, prompt, TokenListener.NONE, RunLimits.DEFAULT);
                String predicted = Objects.requireNonNullElse(result.output(), "").trim();
                if (predicted.equals(answer.trim())) {
                    correct++;
                } else if (mistakes.size() < 5) {
                    mistakes.add("expected '" + answer + "', got '" + predicted + "'  <- " + abbreviate(prompt));
                }
                if (result.slots().get("generation") instanceof Map<?, ?> generation
                        && generation.get("generated_tokens") instanceof Integer n) {
                    tokens += n;
                }
                if ((i + 1) % 50 == 0 || i + 1 == items.size()) {
                    progress.printf(Locale.ROOT, "facts: %d/%d, accuracy so far %.3f%n", i + 1, items.size(),
                            correct / (double) (i + 1));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EvalReport report = new EvalReport(name())
                    .result("accuracy", correct / (double) items.size())
                    .result("n", items.size())
                    .detail("correct", Integer.toString(correct))
                    .detail("pipeline", pipeline)
                    .detail("data", data.toString())
                    .detail("seconds", String.format(Locale.ROOT, "%.1f", seconds))
                    .detail("generated tokens/s", String.format(Locale.ROOT, "%.0f", tokens / seconds));
            mistakes.forEach(report::example);
            return report;
        }

        private static String abbreviate(String text) {
            String flat = text.replace('\n', ' ');
            return flat.length() <= 80 ? flat : "..." + flat.substring(flat.length() - 77);
        }
    }
}
