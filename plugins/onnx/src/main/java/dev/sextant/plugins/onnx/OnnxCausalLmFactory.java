package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelFactory;
import dev.sextant.spi.model.ModelInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code type: onnx-causal-lm}: a decoder-only language model exported to ONNX with its KV cache
 * (Hugging Face / Optimum layout), with its {@code tokenizer.json}.
 */
@Extension
public class OnnxCausalLmFactory implements ModelFactory<OnnxCausalLmConfig> {

    public static final String TYPE = "onnx-causal-lm";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "A causal language model exported to ONNX with a KV cache (Hugging Face / Optimum layout), "
                + "run by ONNX Runtime, with its Hugging Face tokenizer.json.";
    }

    @Override
    public Class<OnnxCausalLmConfig> configType() {
        return OnnxCausalLmConfig.class;
    }

    @Override
    public Model create(OnnxCausalLmConfig config, ComponentContext context) throws SextantException {
        return load(RunSettings.folder(config.path(), context), config);
    }

    /** Loads a model folder; the factory's work without a host. */
    static OnnxCausalLm load(Path folder, OnnxCausalLmConfig config) throws SextantException {
        RunSettings.check(config.intraOpThreads(), config.interOpThreads(), config.maxBatchSize());
        folder = folder.toAbsolutePath().normalize();
        List<Path> files = DecoderGraph.locate(folder);
        CausalLmConfig lm = CausalLmConfig.read(folder);
        DjlTokenizer tokenizer = DjlTokenizer.load(folder);
        DecoderGraph graph = null;
        try {
            graph = DecoderGraph.open(folder, lm, config.intraOpThreads(), config.interOpThreads());
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("path", folder.toString());
            provenance.put("format", "onnx");
            for (Path file : files) {
                provenance.put("sha256:" + folder.relativize(file), FileDigest.sha256(file));
            }
            provenance.put("sha256:tokenizer.json", FileDigest.sha256(folder.resolve("tokenizer.json")));
            provenance.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
            provenance.put("intra-op-threads", Integer.toString(config.intraOpThreads()));
            provenance.put("inter-op-threads", Integer.toString(config.interOpThreads()));
            ModelInfo info = new ModelInfo(folder.getFileName().toString(), lm.modelType(), lm.vocabSize(),
                    lm.maxPositions(), lm.eosTokenIds(), lm.bosTokenId(), lm.padTokenId(), provenance);
            provenance.put("parallel-calls", Integer.toString(config.parallelCalls()));
            return new OnnxCausalLm(info, tokenizer, graph, config.maxBatchSize(), OnnxCausalLm.LOGITS_PER_CALL,
                    new ParallelCalls(config.parallelCalls(), info.name()));
        } catch (SextantException | RuntimeException e) {
            if (graph != null) {
                graph.close();
            }
            tokenizer.close();
            throw e;
        }
    }
}
