package dev.sextant.plugins.onnx;

import dev.sextant.spi.Option;

/**
 * Settings of an {@code onnx-encoder} model.
 *
 * @param path the model folder, or {@code null} for the built-in all-MiniLM-L6-v2
 * @param pooling {@code mean} or {@code cls}
 * @param normalize whether pooled vectors are scaled to length 1
 * @param maxLength tokens per text, special tokens included; longer texts are truncated
 * @param maxBatchSize texts per model call
 * @param maxBatchTokens padded token positions per model call
 * @param tokenEmbeddings whether {@code Embeddings.tokens} is filled
 * @param intraOpThreads threads ONNX Runtime uses inside one operator
 * @param interOpThreads threads ONNX Runtime uses to run independent operators at once
 */
public record OnnxEncoderConfig(
        @Option(description = "Model folder in the Hugging Face layout: model.onnx (inputs input_ids and "
                + "attention_mask, optionally token_type_ids; output last_hidden_state [batch, sequence, hidden]), "
                + "tokenizer.json and optionally config.json; relative to the pipeline file. Without it the "
                + "built-in all-MiniLM-L6-v2 (384 dimensions, shipped inside the plugin) is used.")
        String path,
        @Option(description = "How a text's token vectors become one vector: mean (the average over the text's "
                + "tokens, special tokens included, as sentence-transformers does for all-MiniLM-L6-v2) or cls (the "
                + "first token's vector).", defaultValue = "mean")
        String pooling,
        @Option(description = "Whether pooled vectors are scaled to length 1 (L2), so that a dot product is the "
                + "cosine similarity.", defaultValue = "true")
        boolean normalize,
        @Option(description = "The most tokens of one text, special tokens included; a longer text is truncated "
                + "(its first tokens are kept, then the closing special tokens) and a warning says how many texts "
                + "of a call were. 256 is sentence-transformers' max_seq_length for all-MiniLM-L6-v2.",
                defaultValue = "256", min = 1, unit = "tokens")
        int maxLength,
        @Option(description = "The most texts run in one model call; larger inputs are split, texts of similar "
                + "length sharing a call.", defaultValue = "32", min = 1, unit = "texts")
        int maxBatchSize,
        @Option(description = "The most token positions (texts x longest text, padding included) in one model "
                + "call. On CPUs small calls are as fast per token as large ones and keep activations in cache: "
                + "with all-MiniLM-L6-v2 on one thread, 512 embedded 50-token tickets as fast as one at a time, "
                + "2048 was 9% slower (bench/README.md). A text longer than this runs alone.",
                defaultValue = "512", min = 1, unit = "tokens")
        int maxBatchTokens,
        @Option(description = "Whether results also hold every token's vector (last_hidden_state, one per token of "
                + "each encoding, not normalised); off, only pooled vectors are kept.", defaultValue = "false")
        boolean tokenEmbeddings,
        @Option(description = "Threads ONNX Runtime uses inside one operator; 0 lets ONNX Runtime choose. "
                + "On small machines one thread is usually fastest.", defaultValue = "1", min = 0,
                unit = "threads")
        int intraOpThreads,
        @Option(description = "Threads ONNX Runtime uses to run independent operators in parallel; "
                + "0 lets ONNX Runtime choose.", defaultValue = "1", min = 0, unit = "threads")
        int interOpThreads) {

    /** The defaults of every option, with the built-in model (as a pipeline file with only {@code type}). */
    public static OnnxEncoderConfig defaults() {
        return new OnnxEncoderConfig(null, "mean", true, 256, 32, 512, false, 1, 1);
    }
}
