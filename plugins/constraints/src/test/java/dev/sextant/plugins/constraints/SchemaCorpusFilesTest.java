package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sextant.plugins.constraints.SchemaCorpusFiles.CorpusFile;
import dev.sextant.spi.Option;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed schema corpus ({@code src/test/resources/schema-corpus}, see its README): enough files
 * of every kind, each a valid schema by its dialect's meta-schema with examples that validate, the
 * generated ones exactly what the generator writes; and for every schema the {@code json-schema}
 * component accepts today, one random walk through its token mask on GPT-2's 8000 most frequent
 * tokens gives a document that validates (networknt, formats asserted). Schemas the component refuses
 * (recursion, any-value places, unsupported keywords) are counted, not failed, and so are those it
 * does not compile within {@link #COMPILE_LIMIT_MS} (the summary line says how many of each).
 */
class SchemaCorpusFilesTest {

    static final int VOCABULARY = 8000;
    /** Steps drawn uniformly among the allowed tokens before the walk heads for the end. */
    static final int RANDOM_STEPS = 60;
    static final int MAX_STEPS = 4000;
    /**
     * Schemas whose component takes longer to compile are counted, not walked (today some realistic
     * ones take the compiler seconds); {@code -Dschema-corpus.compile-limit-ms=N} raises it.
     */
    static final long COMPILE_LIMIT_MS = Long.getLong("schema-corpus.compile-limit-ms", 300);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Consumer<ExecutionContext> FORMATS_ASSERTED = context -> context.setExecutionConfig(
            ExecutionConfig.builder().formatAssertionsEnabled(true).build());

    private static List<CorpusFile> corpus;
    private static SchemaRegistry registry;

    @BeforeAll
    static void read() throws Exception {
        corpus = SchemaCorpusFiles.read(SchemaCorpusFiles.folder());
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    }

    @Test
    void theCorpusHasEnoughFilesOfEveryKind() {
        Map<String, Integer> kinds = new TreeMap<>();
        corpus.forEach(f -> kinds.merge(f.kind(), 1, Integer::sum));
        assertThat(corpus.size()).isGreaterThanOrEqualTo(300);
        assertThat(kinds).doesNotContainKey("unknown");
        assertThat(kinds.get("real")).isGreaterThanOrEqualTo(70);
        assertThat(kinds.get("recursive")).isGreaterThanOrEqualTo(35);
        assertThat(kinds.get("any")).isGreaterThanOrEqualTo(18);
        assertThat(kinds.get("gen")).isEqualTo(SchemaCorpusFiles.GENERATED);
    }

    @Test
    void namesAndTitlesAreUnique() {
        Set<String> names = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (CorpusFile f : corpus) {
            assertThat(names.add(f.name().toLowerCase(Locale.ROOT))).as("file name %s", f.name()).isTrue();
            assertThat(f.name()).as("file name").matches("[a-z0-9-]+");
            assertThat(f.schema().path("title").isTextual()).as("%s has a title", f.name()).isTrue();
            assertThat(titles.add(f.schema().get("title").asText())).as("title of %s", f.name()).isTrue();
        }
    }

    @Test
    void everyFileIsAValidSchemaWithExamplesThatValidate() {
        for (CorpusFile f : corpus) {
            String dialect = f.schema().path("$schema").asText();
            assertThat(dialect).as("%s names its dialect", f.name()).isIn(GeneratedSchemas.DRAFT_2020_12,
                    GeneratedSchemas.DRAFT_07);
            Schema meta = registry.getSchema(SchemaLocation.of(dialect));
            assertThat(meta.validate(f.schema())).as("%s against its meta-schema", f.name()).isEmpty();
            JsonNode examples = f.schema().path("examples");
            assertThat(examples.isArray() && !examples.isEmpty()).as("%s has examples", f.name()).isTrue();
            Schema schema = registry.getSchema(f.schema());
            for (JsonNode example : examples) {
                assertThat(schema.validate(example, FORMATS_ASSERTED)).as("%s: example %s", f.name(), example)
                        .isEmpty();
            }
        }
    }

    @Test
    void theGeneratedFilesAreTheGeneratorsOutput() {
        List<GeneratedSchemas.Generated> generated = GeneratedSchemas.generate(SchemaCorpusFiles.SEED,
                SchemaCorpusFiles.GENERATED);
        List<CorpusFile> files = corpus.stream().filter(f -> f.kind().equals("gen")).toList();
        assertThat(files).hasSameSizeAs(generated);
        for (int i = 0; i < files.size(); i++) {
            assertThat(files.get(i).name()).isEqualTo(generated.get(i).name());
            assertThat(files.get(i).schema()).as("%s: run SchemaCorpusFiles to rewrite it", files.get(i).name())
                    .isEqualTo(JSON.valueToTree(generated.get(i).schema()));
        }
    }

    @Test
    void everyDocumentOfASupportedSchemaValidates() throws Exception {
        ByteLevelVocabulary vocabulary = new ByteLevelVocabulary(LargeVocabularyTest.load("r50k_base"), VOCABULARY);
        JsonSchemaProcessorFactory factory = new JsonSchemaProcessorFactory();
        TestContext context = new TestContext("corpus", SchemaCorpusFiles.folder());
        Random random = new Random(5);
        Map<String, Integer> validated = new TreeMap<>();
        Map<String, Integer> refused = new TreeMap<>();
        Map<String, Integer> slow = new TreeMap<>();
        for (int n = 0; n < corpus.size(); n++) {
            CorpusFile f = corpus.get(n);
            String whitespace = n % 2 == 0 ? "python" : "compact";
            Constraint constraint;
            try {
                constraint = withinLimit(() -> ((ConstraintProcessor) factory.create(config(f.path().getFileName()
                        .toString(), whitespace), context).prepare(vocabulary, vocabulary.info())).constraint());
            } catch (SextantException e) {
                refused.merge(f.kind(), 1, Integer::sum);
                continue;
            } catch (TimeoutException e) {
                slow.merge(f.kind(), 1, Integer::sum);
                continue;
            }
            String document = walk(constraint, vocabulary, random, f.name());
            List<Error> errors = registry.getSchema(f.schema()).validate(JSON.readTree(document), FORMATS_ASSERTED);
            assertThat(errors).as("%s (%s)\ndocument %s", f.name(), whitespace, document).isEmpty();
            validated.merge(f.kind(), 1, Integer::sum);
        }
        System.out.println("schema corpus: one document validated per schema " + validated + "; refused " + refused
                + "; not compiled within " + COMPILE_LIMIT_MS + " ms " + slow);
        // a floor that a broken path to the masks or a slower compiler would miss, low enough for a busy
        // machine, where fewer schemas compile within the limit (about 355 of them on a quiet one)
        int total = validated.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("documents validated").isGreaterThanOrEqualTo(250);
    }

    /**
     * The json-schema options for a schema file, the other options at their declared defaults (as the
     * host fills them), so the test keeps compiling when the component gains options.
     */
    static JsonSchemaConfig config(String schemaFile, String whitespace) throws Exception {
        RecordComponent[] components = JsonSchemaConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            Option option = c.getAnnotation(Option.class);
            values[i] = switch (c.getName()) {
                case "schemaFile" -> schemaFile;
                case "whitespace" -> whitespace;
                default -> option != null && !option.defaultValue().equals(Option.NO_DEFAULT)
                        && c.getType() == String.class ? option.defaultValue() : null;
            };
        }
        return JsonSchemaConfig.class.getDeclaredConstructor(types).newInstance(values);
    }

    /**
     * The call's result, or {@link TimeoutException} when it runs past {@link #COMPILE_LIMIT_MS}: some
     * schemas take the compiler seconds or minutes, inside an automaton library that never checks for
     * interruption, so the thread is stopped (Java 17 still honours Thread.stop; what it was building is
     * garbage afterwards). Where the JVM refuses, the compile finishes in the background.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static <T> T withinLimit(Callable<T> call) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = call.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "schema-corpus-compile");
        worker.setDaemon(true);
        worker.start();
        worker.join(COMPILE_LIMIT_MS);
        if (worker.isAlive()) {
            try {
                worker.stop();
                worker.join();
            } catch (UnsupportedOperationException e) {
                // a newer JVM: left to finish
            }
            throw new TimeoutException();
        }
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /**
     * A document drawn through the mask: uniform among the allowed tokens at first (ending with
     * probability 1/3 where the text is complete), then heading for the end: inside a string its closing
     * quote when allowed, else a single character; outside, a token of closing brackets when one is
     * allowed, else a single byte that opens nothing. A walk still going {@link #STUCK_STEPS} steps into
     * heading for the end (a recursion that branches more often than it stops, as an expression tree's
     * kinds drawn at random do) takes the choice whose random rollouts closed the most brackets.
     */
    private static String walk(Constraint constraint, ByteLevelVocabulary vocabulary, Random random, String name) {
        int end = vocabulary.endId();
        long[] allowed = new long[(vocabulary.vocabSize() + 63) / 64];
        ConstraintState state = constraint.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLexer lexer = new JsonLexer();
        for (int step = 0; step < MAX_STEPS; step++) {
            List<Integer> choices = choices(state, allowed, end);
            if (state.complete() && (choices.isEmpty() || step >= RANDOM_STEPS || random.nextInt(3) == 0)) {
                assertThat(state.advance(end)).isTrue();
                return out.toString(StandardCharsets.UTF_8);
            }
            assertThat(choices).as("%s: the mask emptied after %s", name, out).isNotEmpty();
            int token;
            if (step < RANDOM_STEPS) {
                token = choices.get(random.nextInt(choices.size()));
            } else {
                List<Integer> heading = towardsTheEnd(choices, constraint, lexer.inString());
                token = heading.size() > 1 && step >= RANDOM_STEPS + STUCK_STEPS
                        ? soonestToEnd(heading, state, lexer, constraint, random)
                        : heading.get(random.nextInt(heading.size()));
            }
            assertThat(state.advance(token)).isTrue();
            byte[] bytes = constraint.vocabulary().bytes(token);
            out.writeBytes(bytes);
            lexer.read(bytes);
        }
        throw new AssertionError(name + ": no end after " + MAX_STEPS + " steps: "
                + out.toString(StandardCharsets.UTF_8));
    }

    /** Steps into heading for the end after which a walk's choices are tried by rollouts first. */
    static final int STUCK_STEPS = 200;
    static final int ROLLOUTS = 4;
    static final int ROLLOUT_STEPS = 40;

    /** The tokens the mask allows now, the end left out. */
    private static List<Integer> choices(ConstraintState state, long[] allowed, int end) {
        state.allowed(allowed);
        allowed[end >>> 6] &= ~(1L << end);
        List<Integer> choices = new ArrayList<>();
        for (int w = 0; w < allowed.length; w++) {
            for (long bits = allowed[w]; bits != 0; bits &= bits - 1) {
                choices.add(w * 64 + Long.numberOfTrailingZeros(bits));
            }
        }
        return choices;
    }

    /**
     * The choice among {@code heading} after which random walks heading for the end ({@link #ROLLOUTS} of
     * them from copies of the walk's position, {@link #ROLLOUT_STEPS} steps each) left the fewest brackets
     * open (an ended one counts as none).
     */
    private static int soonestToEnd(List<Integer> heading, ConstraintState state, JsonLexer lexer,
            Constraint constraint, Random random) {
        int best = heading.get(0);
        int fewest = Integer.MAX_VALUE;
        for (int token : heading) {
            for (int r = 0; r < ROLLOUTS; r++) {
                int open = rollout(token, state.copy(), lexer.copy(), constraint, random);
                if (open < fewest) {
                    fewest = open;
                    best = token;
                }
            }
        }
        return best;
    }

    /** The brackets left open by a random walk heading for the end after {@code first} (-1 where it could end). */
    private static int rollout(int first, ConstraintState state, JsonLexer lexer, Constraint constraint,
            Random random) {
        int end = constraint.vocabulary().endIds().iterator().next();
        long[] allowed = new long[(constraint.vocabulary().size() + 63) / 64];
        int token = first;
        for (int step = 0; step < ROLLOUT_STEPS; step++) {
            state.advance(token);
            lexer.read(constraint.vocabulary().bytes(token));
            if (state.complete()) {
                return -1;
            }
            List<Integer> choices = choices(state, allowed, end);
            if (choices.isEmpty()) {
                return Integer.MAX_VALUE;
            }
            List<Integer> heading = towardsTheEnd(choices, constraint, lexer.inString());
            token = heading.get(random.nextInt(heading.size()));
        }
        return lexer.depth();
    }

    /**
     * The choices of a walk heading for the end: the longest closer where one is allowed, else the single
     * bytes that open nothing, else all.
     */
    private static List<Integer> towardsTheEnd(List<Integer> choices, Constraint constraint, boolean inString) {
        int closer = -1;
        List<Integer> plain = new ArrayList<>();
        for (int id : choices) {
            byte[] bytes = constraint.vocabulary().bytes(id);
            boolean closes = true;
            for (byte b : bytes) {
                closes &= inString ? b == '"' && bytes.length == 1 : b == ']' || b == '}';
            }
            if (closes && (closer < 0 || bytes.length > constraint.vocabulary().bytes(closer).length)) {
                closer = id;
            }
            if (bytes.length == 1 && (inString ? bytes[0] != '\\' : bytes[0] != '{' && bytes[0] != '[')) {
                plain.add(id);
            }
        }
        if (closer >= 0) {
            return List.of(closer);
        }
        return plain.isEmpty() ? choices : plain;
    }

    /** Whether the bytes so far end inside a JSON string (enough of JSON's lexis to head for the end). */
    private static final class JsonLexer {
        private boolean inString;
        private boolean escaped;

        /** Brackets open outside strings. */
        private int depth;

        JsonLexer copy() {
            JsonLexer c = new JsonLexer();
            c.inString = inString;
            c.escaped = escaped;
            c.depth = depth;
            return c;
        }

        int depth() {
            return depth;
        }

        void read(byte[] bytes) {
            for (byte b : bytes) {
                if (!inString) {
                    inString = b == '"';
                    depth += b == '{' || b == '[' ? 1 : b == '}' || b == ']' ? -1 : 0;
                } else if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            }
        }

        boolean inString() {
            return inString;
        }
    }
}
