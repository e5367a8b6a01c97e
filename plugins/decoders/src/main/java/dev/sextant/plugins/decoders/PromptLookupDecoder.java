package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.LanguageModel;
import java.util.List;

/**
 * Prompt-lookup decoding: greedy decoding whose drafts are copied from the row itself (see
 * {@link PromptLookupDrafter}) and verified in one model call, so text that repeats part of the prompt
 * (copying, editing, extraction, quoting) costs a fraction of the model calls. The output is greedy's.
 */
public final class PromptLookupDecoder extends DraftVerifyDecoder {

    private final int minNgram;
    private final int maxNgram;
    private final int numDraftTokens;

    PromptLookupDecoder(int minNgram, int maxNgram, int numDraftTokens) {
        super(numDraftTokens, false, false, List.of(), 0);
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
        this.numDraftTokens = numDraftTokens;
    }

    @Override
    Drafter drafter(LanguageModel target, GenerationRequest request, List<LogitsProcessor> processors, int row) {
        return new PromptLookupDrafter(minNgram, maxNgram);
    }

    @Override
    public String toString() {
        return "prompt-lookup(max-ngram=" + maxNgram + ", min-ngram=" + minNgram + ", num-draft-tokens="
                + numDraftTokens + ")";
    }
}
