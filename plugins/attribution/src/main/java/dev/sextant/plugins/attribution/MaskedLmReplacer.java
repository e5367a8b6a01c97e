package dev.sextant.plugins.attribution;

import dev.sextant.spi.ModelException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.MaskedLanguageModel;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replacements proposed by a masked language model, as in the ReAGent paper: the positions to
 * replace are masked together and the masked LM's prediction at each is sampled (the original
 * token excluded). One masked-LM call per batch of perturbations.
 */
final class MaskedLmReplacer implements Replacer {

    private final MaskedLanguageModel mlm;
    private final String mlmName;
    /** Models whose tokenizer was already checked against the masked LM's. */
    private final Map<Tokenizer, Boolean> checked = new ConcurrentHashMap<>();

    MaskedLmReplacer(MaskedLanguageModel mlm, String mlmName) {
        this.mlm = mlm;
        this.mlmName = mlmName;
    }

    @Override
    public String name() {
        return "mlm";
    }

    @Override
    public Session start(AttributionProblem problem) throws SextantException {
        checkSameVocabulary(problem);
        int mask = mlm.maskTokenId();
        int[] samplable = problem.samplable;
        return batch -> {
            List<int[]> masked = new ArrayList<>(batch.size());
            for (Perturbation p : batch) {
                int[] tokens = p.tokens().clone();
                for (int c = 0; c < tokens.length; c++) {
                    if (p.replaced()[c]) {
                        tokens[c] = mask;
                    }
                }
                masked.add(tokens);
            }
            float[][][] logits = mlm.maskedLogits(masked, problem.request.limits());
            for (int i = 0; i < batch.size(); i++) {
                Perturbation p = batch.get(i);
                int k = 0;
                for (int c = 0; c < p.tokens().length; c++) {
                    if (p.replaced()[c]) {
                        p.tokens()[c] = Categorical.fromLogits(logits[i][k++], samplable, p.tokens()[c])
                                .sample(p.random());
                    }
                }
            }
        };
    }

    /** The masked LM must spell every id the attributed model can see the same way. */
    private void checkSameVocabulary(AttributionProblem problem) throws ModelException {
        Tokenizer lm = problem.model.tokenizer();
        if (checked.containsKey(lm)) {
            return;
        }
        Tokenizer own = mlm.tokenizer();
        String model = problem.model.info().name();
        if (own.vocabSize() < lm.vocabSize()) {
            throw new ModelException("masked LM '" + mlmName + "' has " + own.vocabSize() + " tokens, fewer than the "
                    + lm.vocabSize() + " of model '" + model + "': the mlm replacer needs the same tokenizer");
        }
        for (int id = 0; id < lm.vocabSize(); id++) {
            if (!lm.token(id).equals(own.token(id))) {
                throw new ModelException("masked LM '" + mlmName + "' does not share the tokenizer of model '" + model
                        + "': token " + id + " is '" + own.token(id) + "' there and '" + lm.token(id) + "' here");
            }
        }
        checked.put(lm, Boolean.TRUE);
    }
}
