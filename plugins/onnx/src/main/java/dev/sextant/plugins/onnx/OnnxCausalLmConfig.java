package dev.sextant.plugins.onnx;

import dev.sextant.spi.Option;

/**
 * Settings of an {@code onnx-causal-lm} model.
 *
 * @param path the model folder
 * @param intraOpThreads threads ONNX Runtime uses inside one operator
 * @param interOpThreads threads ONNX Runtime uses to run independent operators at once
 * @param maxBatchSize rows per model call when scoring sequences or reading their next-token logits
 */
public record OnnxCausalLmConfig(
        @Option(description = "Model folder in the Hugging Face / Optimum layout: model.onnx (or "
                + "decoder_model_merged.onnx, or decoder_model.onnx with decoder_with_past_model.onnx), "
                + "config.json and tokenizer.json; relative to the pipeline file.", required = true)
        String path,
        @Option(description = "Threads ONNX Runtime uses inside one operator; 0 lets ONNX Runtime choose. "
                + "On small machines one thread is usually fastest.", defaultValue = "1", min = 0,
                unit = "threads")
        int intraOpThreads,
        @Option(description = "Threads ONNX Runtime uses to run independent operators in parallel; "
                + "0 lets ONNX Runtime choose.", defaultValue = "1", min = 0, unit = "threads")
        int interOpThreads,
        @Option(description = "The most sequences in one model call when scoring whole sequences "
                + "(log-probabilities and next-token logits, for attribution and compression); larger "
                + "batches are split.", defaultValue = "8", min = 1, unit = "rows")
        int maxBatchSize,
        @Option(description = "How many of those batches of one request may run at once, each on its own thread:"
                + " with intra-op-threads 1, set it to the number of cores to use them all for attribution and"
                + " scoring (generation steps are not split).", defaultValue = "1", min = 1, max = 256,
                unit = "calls")
        int parallelCalls) {
}
