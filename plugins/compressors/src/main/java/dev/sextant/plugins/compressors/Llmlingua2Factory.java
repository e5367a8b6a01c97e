package dev.sextant.plugins.compressors;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.CompressorFactory;
import dev.sextant.spi.model.Encoder;
import dev.sextant.spi.model.TokenClassifier;
import java.util.List;
import java.util.Objects;
import org.pf4j.Extension;

/** Creates the {@code llmlingua2} compressor. */
@Extension
public final class Llmlingua2Factory implements CompressorFactory<Llmlingua2Config> {

    @Override
    public String type() {
        return "llmlingua2";
    }

    @Override
    public String description() {
        return "LLMLingua-2: a token classifier scores every token's keep probability; whole words are kept, best"
                + " first, to a rate, token count or threshold; one batched classifier call per request.";
    }

    @Override
    public Class<Llmlingua2Config> configType() {
        return Llmlingua2Config.class;
    }

    @Override
    public Compressor create(Llmlingua2Config config, ComponentContext context) throws ConfigException {
        if (config.model() == null || config.model().isBlank()) {
            throw new ConfigException("model", "name a token classifier component, e.g. model: tagger");
        }
        TokenClassifier classifier;
        try {
            classifier = context.component(config.model(), TokenClassifier.class);
        } catch (ConfigException e) {
            throw new ConfigException("model", e.getMessage() + " (llmlingua2 needs a token classifier, e.g. a"
                    + " component of type onnx-token-classifier)", e);
        }
        List<String> labels = classifier.labels();
        String keepLabel = Objects.requireNonNullElse(config.keepLabel(), "keep");
        int keepIndex = labels.indexOf(keepLabel);
        if (keepIndex < 0) {
            String hint = labels.contains("LABEL_1")
                    ? "; a LLMLingua-2 export without label names keeps with LABEL_1: set keep-label: LABEL_1"
                    : "; set keep-label to one of them";
            throw new ConfigException("keep-label", "model '" + config.model() + "' has no label '" + keepLabel
                    + "'; its labels are " + labels + hint);
        }
        String wordScore = Objects.requireNonNullElse(config.wordScore(), "mean");
        if (!Llmlingua2Config.WORD_SCORES.contains(wordScore)) {
            throw new ConfigException("word-score", "unknown word-score '" + wordScore + "'; choose one of "
                    + Llmlingua2Config.WORD_SCORES);
        }
        String structure = Objects.requireNonNullElse(config.structure(), "none");
        if (!Llmlingua2Config.STRUCTURES.contains(structure)) {
            throw new ConfigException("structure", "unknown structure '" + structure + "'; choose one of "
                    + Llmlingua2Config.STRUCTURES);
        }
        List<String> forceTokens = Objects.requireNonNullElse(config.forceTokens(), List.of());
        for (String token : forceTokens) {
            if (token == null || token.isEmpty()) {
                throw new ConfigException("force-tokens", "an empty string cannot be forced; remove it from the"
                        + " list");
            }
        }
        int specials = Llmlingua2Chunker.specialTokens(classifier.tokenizer());
        if (classifier.maxLength() - specials < 2) {
            throw new ConfigException("model", "model '" + config.model() + "' takes at most "
                    + classifier.maxLength() + " tokens, " + specials + " of them special: too few to classify text");
        }
        String relevance = Objects.requireNonNullElse(config.relevance(), "none");
        if (!Llmlingua2Relevance.METHODS.contains(relevance)) {
            throw new ConfigException("relevance", "unknown relevance '" + relevance + "'; choose one of "
                    + Llmlingua2Relevance.METHODS);
        }
        if (!(config.relevanceWeight() >= 0) || Double.isInfinite(config.relevanceWeight())) {
            throw new ConfigException("relevance-weight", "must be a number of at least 0, not "
                    + config.relevanceWeight());
        }
        Llmlingua2Relevance ranker = switch (relevance) {
            case "bm25" -> new Llmlingua2Relevance(null);
            case "encoder" -> new Llmlingua2Relevance(encoder(config, context));
            default -> null;
        };
        if (ranker == null && config.relevanceEncoder() != null) {
            throw new ConfigException("relevance-encoder", "is only read with relevance: encoder; set that or"
                    + " remove relevance-encoder");
        }
        Llmlingua2Config resolved = new Llmlingua2Config(config.model(), keepLabel, wordScore, List.copyOf(forceTokens),
                config.keepDigits(), config.dropRepeatedForceTokens(), structure, relevance, config.relevanceEncoder(),
                config.relevanceWeight());
        return new Llmlingua2Compressor("llmlingua2", classifier, keepIndex, resolved, ranker);
    }

    private static Encoder encoder(Llmlingua2Config config, ComponentContext context) throws ConfigException {
        if (config.relevanceEncoder() == null || config.relevanceEncoder().isBlank()) {
            throw new ConfigException("relevance-encoder", "relevance: encoder needs an encoder component, e.g."
                    + " relevance-encoder: minilm (type onnx-encoder)");
        }
        try {
            return context.component(config.relevanceEncoder(), Encoder.class);
        } catch (ConfigException e) {
            throw new ConfigException("relevance-encoder", e.getMessage() + " (relevance: encoder needs an encoder,"
                    + " e.g. a component of type onnx-encoder)", e);
        }
    }
}
