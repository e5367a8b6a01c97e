package dev.sextant.plugins.decoders;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.LanguageModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Speculative decoding with a draft model (Leviathan et al. 2023; Chen et al. 2023): a small model
 * shares the target's tokenizer and proposes {@code numDraftTokens} tokens, which the target verifies
 * in one call (see {@link DraftVerifyDecoder}). Greedy verification gives exactly the target's greedy
 * text; sampling verification gives text distributed as the target's sampling with the same warpers.
 * Each model keeps its own decoding state; rejected tokens are rewound in both.
 */
public final class SpeculativeDecoder extends DraftVerifyDecoder {

    /** Texts encoded by both tokenizers to check that they agree. */
    static final List<String> PROBES = List.of("mia lives in oslo . tom has a red ball .",
            "The quick brown fox, 1234 times: naïve café!\n\tdone?");

    private final LanguageModel draft;
    private final String draftName;
    private final int numDraftTokens;
    private final boolean adaptive;
    private final double confidenceThreshold;
    private final List<LogitsWarper> warpers;
    private final Map<LanguageModel, Boolean> checked = new ConcurrentHashMap<>();

    SpeculativeDecoder(LanguageModel draft, String draftName, int numDraftTokens, boolean adaptive,
            double confidenceThreshold, boolean sample, List<LogitsWarper> warpers, long seed) {
        super(numDraftTokens, adaptive, sample, warpers, seed);
        this.draft = draft;
        this.draftName = draftName;
        this.numDraftTokens = numDraftTokens;
        this.adaptive = adaptive;
        this.confidenceThreshold = confidenceThreshold;
        this.warpers = List.copyOf(warpers);
    }

    @Override
    Drafter drafter(LanguageModel target, GenerationRequest request, List<LogitsProcessor> processors, int row) {
        return new ModelDrafter(draft, processors, row, request.limits(), confidenceThreshold, this);
    }

    @Override
    void check(LanguageModel target) throws SextantException {
        if (!checked.containsKey(target)) {
            checkTokenizers(draftName, draft, target);
            checked.put(target, Boolean.TRUE);
        }
    }

    /**
     * Refuses a draft model whose tokenizer differs from the target's: their vocabulary sizes or the
     * encodings of the probe texts differ.
     */
    static void checkTokenizers(String draftName, LanguageModel draft, LanguageModel target) throws ConfigException {
        int draftVocab = draft.tokenizer().vocabSize();
        int targetVocab = target.tokenizer().vocabSize();
        if (draftVocab != targetVocab) {
            throw new ConfigException("draft", "draft model '" + draftName + "' has a vocabulary of " + draftVocab
                    + " tokens but the target model '" + target.info().name() + "' has " + targetVocab
                    + ": speculative decoding needs a draft that shares the target's tokenizer");
        }
        for (String probe : PROBES) {
            int[] a = draft.tokenizer().encode(probe, false).ids();
            int[] b = target.tokenizer().encode(probe, false).ids();
            if (!java.util.Arrays.equals(a, b)) {
                throw new ConfigException("draft", "draft model '" + draftName + "' encodes \"" + probe.strip()
                        + "\" differently from the target model '" + target.info().name() + "': speculative"
                        + " decoding needs a draft that shares the target's tokenizer");
            }
        }
    }

    @Override
    public String toString() {
        return "speculative(draft=" + draftName + ", num-draft-tokens=" + numDraftTokens + ", adaptive=" + adaptive
                + ", confidence-threshold=" + confidenceThreshold
                + (sample() ? ", sample" + (warpers.isEmpty() ? "" : warpers.stream().map(Object::toString)
                        .collect(Collectors.joining(", ", "(", ")"))) : "") + ")";
    }
}
