package dev.sextant.plugins.onnx;

import dev.sextant.spi.Option;

/**
 * Settings of an {@code onnx-token-classifier} model.
 *
 * @param path the model folder
 * @param maxLength tokens per text, special tokens included, or {@code null} for what config.json allows
 * @param maxBatchSize texts per model call
 * @param maxBatchTokens padded token positions per model call
 * @param intraOpThreads threads ONNX Runtime uses inside one operator
 * @param interOpThreads threads ONNX Runtime uses to run independent operators at once
 */
public record OnnxTokenClassifierConfig(
        @Option(description = "Model folder in the Hugging Face token-classification layout: model.onnx (inputs "
                + "input_ids and attention_mask, optionally token_type_ids; output logits [batch, sequence, labels]), "
                + "tokenizer.json and config.json (id2label, max_position_embeddings, pad_token_id); relative to "
                + "the pipeline file.", required = true)
        String path,
        @Option(description = "The most tokens of one text, special tokens included; a longer text is refused "
                + "(callers split texts, e.g. at sentence boundaries). Without it, the positions config.json's "
                + "max_position_embeddings allows (512 for a RoBERTa-style model with 514); it may not be more. "
                + "Required when config.json does not say.", min = 1, unit = "tokens")
        Integer maxLength,
        @Option(description = "The most texts run in one model call; larger inputs are split, texts of similar "
                + "length sharing a call.", defaultValue = "16", min = 1, unit = "texts")
        int maxBatchSize,
        @Option(description = "The most token positions (texts x longest text, padding included) in one model "
                + "call; a text longer than this runs alone.", defaultValue = "4096", min = 1, unit = "tokens")
        int maxBatchTokens,
        @Option(description = "Threads ONNX Runtime uses inside one operator; 0 lets ONNX Runtime choose. "
                + "On small machines one thread is usually fastest.", defaultValue = "1", min = 0,
                unit = "threads")
        int intraOpThreads,
        @Option(description = "Threads ONNX Runtime uses to run independent operators in parallel; "
                + "0 lets ONNX Runtime choose.", defaultValue = "1", min = 0, unit = "threads")
        int interOpThreads) {

    /** The defaults of every option, with the given folder (as a pipeline file with only {@code type} and {@code path}). */
    public static OnnxTokenClassifierConfig defaults(String path) {
        return new OnnxTokenClassifierConfig(path, null, 16, 4096, 1, 1);
    }
}
