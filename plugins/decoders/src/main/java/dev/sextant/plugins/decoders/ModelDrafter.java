package dev.sextant.plugins.decoders;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Drafts with a smaller model that shares the target's tokenizer, in a decoding state of its own. Before
 * each proposal the draft state is brought in line with the target's tokens: tokens the target
 * rejected are rewound, tokens it chose or accepted that the draft has not seen are appended in one
 * call. Then the draft model extends the row token by token, greedily or by sampling from its own
 * processed and warped distribution, and stops early after a token it is unsure of (its probability
 * below the confidence threshold), since that token and those after it are likely to be rejected.
 */
final class ModelDrafter implements Drafter {

    private final LanguageModel draft;
    private final List<LogitsProcessor> processors;
    private final int row;
    private final RunLimits limits;
    private final double confidenceThreshold;
    private final SpeculativeDecoder decoder;
    private DecodingState state;
    private int calls;

    ModelDrafter(LanguageModel draft, List<LogitsProcessor> processors, int row, RunLimits limits,
            double confidenceThreshold, SpeculativeDecoder decoder) {
        this.draft = draft;
        this.processors = processors;
        this.row = row;
        this.limits = limits;
        this.confidenceThreshold = confidenceThreshold;
        this.decoder = decoder;
    }

    @Override
    public Draft propose(int[] tokens, int promptLength, int max, SplittableRandom random) throws SextantException {
        max = Math.min(max, draft.info().maxPositions() - tokens.length);
        if (max <= 0) {
            return Draft.NONE;
        }
        sync(tokens, promptLength);
        int[] proposed = new int[max];
        double[][] probabilities = decoder.sample() ? new double[max][] : null;
        int count = 0;
        while (count < max) {
            if (count > 0) {
                state.append(new int[] {proposed[count - 1]});
                calls++;
            }
            int token;
            double confidence;
            if (probabilities == null && processors.isEmpty() && confidenceThreshold <= 0) {
                // greedy drafting with nothing to adjust or weigh: the state's argmax, no copy of the logits
                token = state.argmax(0);
                if (token < 0) {
                    break;
                }
                confidence = 1;
            } else {
                float[] logits = state.logits(0);
                float[] scores = processors.isEmpty() ? logits
                        : Prompts.process(processors, row, state.tokens(0), promptLength, logits);
                if (!Prompts.hasChoice(scores)) {
                    break;
                }
                if (probabilities != null) {
                    probabilities[count] = decoder.distribution(scores);
                    token = Scores.drawFrom(probabilities[count], random);
                    confidence = probabilities[count][token];
                } else {
                    token = Scores.argmax(scores);
                    confidence = confidenceThreshold <= 0 ? 1 : Math.exp(scores[token] - Prompts.logSumExp(scores));
                }
            }
            proposed[count++] = token;
            if (draft.info().eosTokenIds().contains(token) || confidence < confidenceThreshold) {
                break;
            }
        }
        return new Draft(Arrays.copyOf(proposed, count),
                probabilities == null ? null : Arrays.copyOf(probabilities, count));
    }

    /** Makes the draft state's row equal to {@code tokens}. */
    private void sync(int[] tokens, int promptLength) throws SextantException {
        if (state == null) {
            state = draft.start(List.of(Arrays.copyOf(tokens, promptLength)), limits);
            calls++;
        }
        int[] have = state.tokens(0);
        int common = 0;
        while (common < have.length && common < tokens.length && have[common] == tokens[common]) {
            common++;
        }
        if (common < have.length) {
            state.rewind(0, have.length - common);
        }
        int missing = tokens.length - common;
        if (missing == 1) {
            state.append(new int[] {tokens[common]});
            calls++;
        } else if (missing > 1) {
            state.appendAll(new int[][] {Arrays.copyOfRange(tokens, common, tokens.length)});
            calls++;
        }
    }

    @Override
    public int modelCalls() {
        return calls;
    }

    @Override
    public void close() {
        if (state != null) {
            state.close();
            state = null;
        }
    }
}
