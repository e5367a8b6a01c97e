package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelFactory;
import dev.sextant.spi.model.ModelInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.pf4j.Extension;

/**
 * {@code type: onnx-masked-lm}: a bidirectional encoder with a masked-language-model head (BERT
 * style) exported to ONNX, with its {@code tokenizer.json}. Creates a
 * {@link dev.sextant.spi.model.MaskedLanguageModel}.
 */
@Extension
public class OnnxMaskedLmFactory implements ModelFactory<OnnxMaskedLmConfig> {

    public static final String TYPE = "onnx-masked-lm";

    /** Spellings of the mask token looked up in the tokenizer when config.json has no mask_token_id. */
    private static final String[] MASK_TOKENS = {"<mask>", "[MASK]"};

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "A masked language model (BERT-style encoder with its fill-mask head) exported to ONNX, run by "
                + "ONNX Runtime, with its Hugging Face tokenizer.json; predicts tokens at <mask> positions.";
    }

    @Override
    public Class<OnnxMaskedLmConfig> configType() {
        return OnnxMaskedLmConfig.class;
    }

    @Override
    public Model create(OnnxMaskedLmConfig config, ComponentContext context) throws SextantException {
        return load(RunSettings.folder(config.path(), context), config);
    }

    /** Loads a model folder; the factory's work without a host. */
    static OnnxMaskedLm load(Path folder, OnnxMaskedLmConfig config) throws SextantException {
        RunSettings.check(config.intraOpThreads(), config.interOpThreads(), config.maxBatchSize());
        folder = folder.toAbsolutePath().normalize();
        Path file = MaskedLmGraph.locate(folder);
        MaskedLmConfig mlm = MaskedLmConfig.read(folder);
        DjlTokenizer tokenizer = DjlTokenizer.load(folder);
        MaskedLmGraph graph = null;
        try {
            int maskId = maskTokenId(folder, mlm, tokenizer);
            graph = MaskedLmGraph.open(file, mlm.vocabSize(), config.intraOpThreads(), config.interOpThreads());
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("path", folder.toString());
            provenance.put("format", "onnx");
            provenance.put("sha256:" + folder.relativize(file), FileDigest.sha256(file));
            provenance.put("sha256:tokenizer.json", FileDigest.sha256(folder.resolve("tokenizer.json")));
            provenance.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
            provenance.put("intra-op-threads", Integer.toString(config.intraOpThreads()));
            provenance.put("inter-op-threads", Integer.toString(config.interOpThreads()));
            ModelInfo info = new ModelInfo(folder.getFileName().toString(), mlm.modelType(), mlm.vocabSize(),
                    mlm.maxPositions(), mlm.eosTokenIds(), mlm.bosTokenId(), mlm.padTokenId(), provenance);
            return new OnnxMaskedLm(info, tokenizer, graph, maskId, config.maxBatchSize(),
                    OnnxMaskedLm.LOGITS_PER_CALL);
        } catch (SextantException | RuntimeException e) {
            if (graph != null) {
                graph.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    /** config.json's {@code mask_token_id} wins, as in Hugging Face; else the tokenizer's mask entry. */
    static int maskTokenId(Path folder, MaskedLmConfig config, DjlTokenizer tokenizer) throws ModelException {
        int id = config.maskTokenId();
        String source = "config.json mask_token_id";
        for (int i = 0; id < 0 && i < MASK_TOKENS.length; i++) {
            OptionalInt found = tokenizer.tokenId(MASK_TOKENS[i]);
            if (found.isPresent()) {
                id = found.getAsInt();
                source = "tokenizer.json entry " + MASK_TOKENS[i];
            }
        }
        if (id < 0) {
            throw new ModelException("model folder " + folder + " names no mask token: config.json has no "
                    + "mask_token_id and tokenizer.json has no <mask> or [MASK] entry (add mask_token_id to "
                    + "config.json)");
        }
        if (id >= config.vocabSize()) {
            throw new ModelException("model folder " + folder + ": the mask token id " + id + " (" + source
                    + ") is outside the vocabulary 0.." + (config.vocabSize() - 1) + " of config.json");
        }
        return id;
    }
}
