package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.Tokenizer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prompt-lookup decoding: greedy decoding whose drafts are copied from the row itself (see
 * {@link PromptLookupDrafter}) and verified in one model call, so text that repeats part of the prompt
 * (copying, editing, extraction, quoting) costs a fraction of the model calls. The output is greedy's.
 */
public final class PromptLookupDecoder extends DraftVerifyDecoder {

    private final int minNgram;
    private final int maxNgram;
    private final int numDraftTokens;
    private final boolean realign;
    /** Word starts per tokenizer, computed once: re-alignment needs them for every row. */
    private final Map<Tokenizer, boolean[]> wordStarts = Collections.synchronizedMap(new WeakHashMap<>());

    PromptLookupDecoder(int minNgram, int maxNgram, int numDraftTokens, boolean realign) {
        super(numDraftTokens, false, false, List.of(), 0);
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
        this.numDraftTokens = numDraftTokens;
        this.realign = realign;
    }

    @Override
    Drafter drafter(LanguageModel target, GenerationRequest request, List<LogitsProcessor> processors, int row) {
        return new PromptLookupDrafter(minNgram, maxNgram,
                realign ? wordStarts.computeIfAbsent(target.tokenizer(), PromptLookupDecoder::wordStarts) : null);
    }

    /**
     * Per token id, whether the token begins a word: its text starts with whitespace, or its vocabulary
     * entry with the byte-level or SentencePiece space mark (for tokenizers whose decode drops a
     * leading space).
     */
    static boolean[] wordStarts(Tokenizer tokenizer) {
        boolean[] starts = new boolean[tokenizer.vocabSize()];
        int[] one = new int[1];
        for (int id = 0; id < starts.length; id++) {
            one[0] = id;
            String text = tokenizer.decode(one, false);
            String entry = tokenizer.token(id);
            starts[id] = (!text.isEmpty() && Character.isWhitespace(text.charAt(0)))
                    || (entry != null && (entry.startsWith("\u0120") || entry.startsWith("\u2581")));
        }
        return starts;
    }

    @Override
    public String toString() {
        return "prompt-lookup(max-ngram=" + maxNgram + ", min-ngram=" + minNgram + ", num-draft-tokens="
                + numDraftTokens + ", realign=" + realign + ")";
    }
}
