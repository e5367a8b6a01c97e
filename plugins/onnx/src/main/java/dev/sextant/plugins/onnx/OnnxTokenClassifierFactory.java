package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelFactory;
import dev.sextant.spi.model.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code type: onnx-token-classifier}: a BERT-style encoder with a per-token classification head,
 * exported as Hugging Face Optimum's {@code token-classification} task writes it (an LLMLingua-2
 * compressor, or a tagger trained here), with its {@code tokenizer.json}. Creates a
 * {@link dev.sextant.spi.model.TokenClassifier}. Names, shapes and labels all come from the folder,
 * so any such export loads.
 */
@Extension
public class OnnxTokenClassifierFactory implements ModelFactory<OnnxTokenClassifierConfig> {

    public static final String TYPE = "onnx-token-classifier";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "A token classifier (BERT-style encoder with a per-token head, a Hugging Face token-classification "
                + "export such as LLMLingua-2's) run by ONNX Runtime: the probability of every label at every token.";
    }

    @Override
    public Class<OnnxTokenClassifierConfig> configType() {
        return OnnxTokenClassifierConfig.class;
    }

    @Override
    public Model create(OnnxTokenClassifierConfig config, ComponentContext context) throws SextantException {
        return load(RunSettings.folder(config.path(), context), config);
    }

    /** Loads a model folder; the factory's work without a host. */
    static OnnxTokenClassifier load(Path folder, OnnxTokenClassifierConfig config) throws SextantException {
        checkSettings(config);
        folder = folder.toAbsolutePath().normalize();
        Path file = TokenClassifierGraph.locate(folder);
        TokenClassifierFacts facts = TokenClassifierFacts.read(folder);
        int maxLength = maxLength(facts, config);
        DjlTokenizer tokenizer = DjlTokenizer.load(folder);
        String name = folder.getFileName().toString();
        TokenClassifierGraph graph = null;
        try {
            checkRoom(tokenizer, maxLength, name);
            graph = TokenClassifierGraph.open(file, config.intraOpThreads(), config.interOpThreads());
            List<String> labels = labels(facts, graph);
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("source", folder.toString());
            provenance.put("format", "onnx");
            provenance.put("sha256:" + folder.relativize(file), FileDigest.sha256(file));
            provenance.put("sha256:tokenizer.json", FileDigest.sha256(folder.resolve("tokenizer.json")));
            provenance.put("labels", String.join(",", labels));
            provenance.put("max-length", Integer.toString(maxLength));
            provenance.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
            provenance.put("intra-op-threads", Integer.toString(config.intraOpThreads()));
            provenance.put("inter-op-threads", Integer.toString(config.interOpThreads()));
            int vocab = facts.vocabSize() > 0 ? facts.vocabSize() : tokenizer.vocabSize();
            // without config.json the model's limit is unknown: the longest input fed is what can be reported
            int maxPositions = facts.maxPositions() > 0 ? facts.maxPositions() : maxLength;
            ModelInfo info = new ModelInfo(name, facts.modelType(), vocab, maxPositions, Set.of(), -1,
                    facts.padTokenId(), provenance);
            return new OnnxTokenClassifier(info, tokenizer, graph, labels, maxLength, config.maxBatchSize(),
                    config.maxBatchTokens());
        } catch (SextantException | RuntimeException e) {
            if (graph != null) {
                graph.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    /** The checks made before anything is loaded. */
    private static void checkSettings(OnnxTokenClassifierConfig config) throws ConfigException {
        RunSettings.check(config.intraOpThreads(), config.interOpThreads(), config.maxBatchSize());
        if (config.maxBatchTokens() < 1) {
            throw new ConfigException("max-batch-tokens", "max-batch-tokens must be at least 1");
        }
        if (config.maxLength() != null && config.maxLength() < 1) {
            throw new ConfigException("max-length", "max-length must be at least 1");
        }
    }

    /** {@code max-length} if given (no more than the model's positions allow), else those positions. */
    private static int maxLength(TokenClassifierFacts facts, OnnxTokenClassifierConfig config)
            throws ConfigException {
        Integer asked = config.maxLength();
        if (facts.maxPositions() < 0) {
            if (asked == null) {
                throw new ConfigException("max-length", "give max-length: " + (Files.exists(facts.file())
                        ? facts.file() + " has no max_position_embeddings" : "model folder " + facts.file().getParent()
                        + " has no config.json") + " to say how many tokens the model reads");
            }
            return asked;
        }
        if (asked != null && asked > facts.maxPositions()) {
            throw new ConfigException("max-length", "max-length " + asked + " is more than model '"
                    + facts.file().getParent().getFileName() + "' reads: " + facts.maxPositions() + " tokens ("
                    + facts.file() + ": max_position_embeddings = " + facts.positionTable()
                    + (facts.reservedPositions() > 0 ? ", less the " + facts.reservedPositions() + " positions that "
                    + "model_type " + facts.modelType() + " reserves" : "") + ")");
        }
        return asked != null ? asked : facts.maxPositions();
    }

    /** {@code max-length} must leave room for a text next to the special tokens the tokenizer adds to every text. */
    private static void checkRoom(DjlTokenizer tokenizer, int maxLength, String name) throws ConfigException {
        int special = tokenizer.encode("", true).size();
        if (maxLength <= special) {
            throw new ConfigException("max-length", "max-length " + maxLength + " leaves no room for a text: the "
                    + "tokenizer of model '" + name + "' adds " + special + " special tokens to every text (give at "
                    + "least " + (special + 1) + ")");
        }
    }

    /**
     * config.json's {@code id2label} names, which must be as many as the graph's logits per token where
     * it says; without them {@code LABEL_0}, {@code LABEL_1}, ... (Hugging Face's default names) for
     * the labels the graph declares.
     */
    private static List<String> labels(TokenClassifierFacts facts, TokenClassifierGraph graph)
            throws ModelException {
        int declared = graph.declaredLabels();
        if (facts.labels() != null) {
            if (declared > 0 && declared != facts.labels().size()) {
                throw new ModelException(graph.file() + ": output logits has " + declared + " entries per token, but "
                        + facts.file() + " names " + facts.labels().size() + " labels in id2label "
                        + facts.labels());
            }
            return facts.labels();
        }
        if (declared < 0) {
            throw new ModelException(graph.file() + ": output logits does not declare how many labels it has, and "
                    + (Files.exists(facts.file()) ? facts.file() + " has no id2label" : "model folder "
                    + facts.file().getParent() + " has no config.json") + " to name them (add id2label)");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < declared; i++) {
            names.add("LABEL_" + i);
        }
        return names;
    }
}
