package dev.sextant.plugins.attribution;

import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One attribution request made concrete: the column tokens (prompt then target), which target
 * tokens are rows, which columns may be perturbed, and the model's original next-token logits
 * for every row. Every method starts from one of these and ends with {@link #result}.
 */
final class AttributionProblem {

    final LanguageModel model;
    final AttributionRequest request;
    final String text;
    /** Column token ids: the prompt's, then the target's. */
    final int[] ids;
    final int[] starts;
    final int[] ends;
    final int inputLength;
    final int targetFrom;
    final int rows;
    /** Whether a column holds a special token: never perturbed, always scored 0. */
    final boolean[] special;
    /** Ids that may be sampled as replacements: the vocabulary without special tokens. */
    final int[] samplable;
    /** Per row, the model's logits after the row's prefix. */
    final float[][] originalLogits;

    private AttributionProblem(LanguageModel model, AttributionRequest request, String text, int[] ids, int[] starts,
            int[] ends, int inputLength, int targetFrom, int rows, boolean[] special, int[] samplable,
            float[][] originalLogits) {
        this.model = model;
        this.request = request;
        this.text = text;
        this.ids = ids;
        this.starts = starts;
        this.ends = ends;
        this.inputLength = inputLength;
        this.targetFrom = targetFrom;
        this.rows = rows;
        this.special = special;
        this.samplable = samplable;
        this.originalLogits = originalLogits;
    }

    /** Tokenizes the request, checks it against the limits and scores the original rows. */
    static AttributionProblem of(LanguageModel model, AttributionRequest request) throws SextantException {
        Tokenizer tokenizer = model.tokenizer();
        if (request.input().isEmpty()) {
            throw new InputException("the input is empty: attribution explains a target by its input");
        }
        Encoding input = tokenizer.encode(request.input(), true);
        if (input.size() == 0) {
            throw new InputException("the input has no tokens");
        }
        int[] targetIds;
        int[] targetStarts;
        int[] targetEnds;
        int offset = request.input().length();
        if (request.targetIds() != null) {
            targetIds = request.targetIds();
            targetStarts = new int[targetIds.length];
            targetEnds = new int[targetIds.length];
            spansOfIds(tokenizer, targetIds, request.target(), offset, targetStarts, targetEnds);
        } else {
            Encoding target = tokenizer.encode(request.target(), false);
            targetIds = target.ids();
            targetStarts = shift(target.starts(), offset);
            targetEnds = shift(target.ends(), offset);
        }
        if (targetIds.length == 0) {
            throw new InputException("the target is empty: give the text (or generation) to explain");
        }
        int to = request.targetTo() == -1 ? targetIds.length : request.targetTo();
        if (request.targetFrom() >= targetIds.length || to > targetIds.length) {
            throw new InputException("target tokens " + request.targetFrom() + ".." + to + " were asked for, but the"
                    + " target has " + targetIds.length + " tokens (0.." + targetIds.length + ")");
        }
        int columns = input.size() + targetIds.length;
        int[] ids = concat(input.ids(), targetIds);
        int[] starts = concat(input.starts(), targetStarts);
        int[] ends = concat(input.ends(), targetEnds);
        request.limits().checkInputLength("the input with its target", columns - 1);
        int vocab = Math.min(model.info().vocabSize(), tokenizer.vocabSize());
        for (int c = 0; c < columns; c++) {
            if (ids[c] < 0 || ids[c] >= model.info().vocabSize()) {
                throw new InputException("token " + c + " has id " + ids[c] + ", outside the model's vocabulary 0.."
                        + (model.info().vocabSize() - 1));
            }
        }
        Set<Integer> specialIds = new HashSet<>(tokenizer.specialTokenIds());
        specialIds.addAll(model.info().eosTokenIds());
        if (model.info().bosTokenId() >= 0) {
            specialIds.add(model.info().bosTokenId());
        }
        if (model.info().padTokenId() >= 0) {
            specialIds.add(model.info().padTokenId());
        }
        boolean[] special = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            special[c] = specialIds.contains(ids[c]);
        }
        int[] samplable = java.util.stream.IntStream.range(0, vocab).filter(i -> !specialIds.contains(i)).toArray();
        int rows = to - request.targetFrom();
        List<int[]> prefixes = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            prefixes.add(Arrays.copyOf(ids, input.size() + request.targetFrom() + r));
        }
        float[][] original = model.nextTokenLogits(prefixes, request.limits());
        return new AttributionProblem(model, request, request.input() + request.target(), ids, starts, ends,
                input.size(), request.targetFrom(), rows, special, samplable, original);
    }

    /** The column of the token row {@code r} explains; also the length of its prefix. */
    int targetColumn(int r) {
        return inputLength + targetFrom + r;
    }

    /** The id of the token row {@code r} explains. */
    int targetId(int r) {
        return ids[targetColumn(r)];
    }

    /** The prefix row {@code r} is explained by (a fresh copy). */
    int[] prefix(int r) {
        return Arrays.copyOf(ids, targetColumn(r));
    }

    /** Columns of row {@code r} that may be perturbed (not special). */
    int[] candidates(int r) {
        return java.util.stream.IntStream.range(0, targetColumn(r)).filter(c -> !special[c]).toArray();
    }

    /** The model's original probability of row {@code r}'s token. */
    double originalProbability(int r) {
        return Scores.probability(originalLogits[r], targetId(r));
    }

    /**
     * The result: {@code scores[r]} holds the defined columns of row {@code r} (length at least
     * its target column); later columns become {@code NaN}.
     */
    Attribution result(String method, Map<String, Object> settings, float[][] scores, List<String> warnings) {
        int columns = ids.length;
        float[][] full = new float[rows][columns];
        float[] probabilities = new float[rows];
        float[] entropies = new float[rows];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(full[r], Float.NaN);
            System.arraycopy(scores[r], 0, full[r], 0, targetColumn(r));
            probabilities[r] = (float) originalProbability(r);
            entropies[r] = (float) Scores.entropy(originalLogits[r]);
        }
        List<String> tokens = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            tokens.add(ends[c] > starts[c] ? text.substring(starts[c], ends[c]) : model.tokenizer().token(ids[c]));
        }
        return new Attribution(method, settings, text, tokens, starts.clone(), ends.clone(), inputLength, targetFrom,
                full, probabilities, entropies, warnings);
    }

    /** Char spans of known target ids, found by decoding growing prefixes (byte-level tokens may split characters). */
    private static void spansOfIds(Tokenizer tokenizer, int[] targetIds, String target, int offset, int[] starts,
            int[] ends) {
        int previous = 0;
        for (int i = 0; i < targetIds.length; i++) {
            String decoded = tokenizer.decode(Arrays.copyOf(targetIds, i + 1), false);
            int end = Math.min(target.length(), commonPrefix(decoded, target));
            starts[i] = offset + Math.min(previous, end);
            ends[i] = offset + end;
            previous = end;
        }
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static int[] shift(int[] values, int by) {
        int[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
