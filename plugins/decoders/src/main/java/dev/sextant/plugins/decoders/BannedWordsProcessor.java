package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps words and phrases out of the text. {@link #prepare} tokenizes each one with the model's
 * tokenizer, alone and after a space (a word inside a sentence is usually one token sequence, at the
 * start another): a one-token sequence is banned always, a longer one has its last token banned
 * whenever the row ends with the rest, as Hugging Face's {@code NoBadWordsLogitsProcessor} does.
 *
 * <p>Like that processor it bans token sequences, not strings: a tokenizer that can spell a word in
 * more than one way (e.g. "ca" + "t" as well as "cat") may still produce it another way.
 */
public final class BannedWordsProcessor implements LogitsProcessor {

    private final List<String> words;

    public BannedWordsProcessor(List<String> words) {
        this.words = List.copyOf(words);
    }

    /** The words and phrases banned. */
    public List<String> words() {
        return words;
    }

    @Override
    public LogitsProcessor prepare(Tokenizer tokenizer) {
        Set<List<Integer>> sequences = new LinkedHashSet<>();
        for (String word : words) {
            for (String spelling : List.of(word, " " + word)) {
                int[] ids = tokenizer.encode(spelling, false).ids();
                if (ids.length > 0) {
                    sequences.add(Arrays.stream(ids).boxed().toList());
                }
            }
        }
        return new Prepared(sequences, tokenizer.vocabSize());
    }

    @Override
    public void process(int row, int[] tokens, int promptLength, float[] scores) {
        throw new IllegalStateException("banned-words must be prepared with the model's tokenizer first");
    }

    @Override
    public String toString() {
        return "banned-words" + words;
    }

    /** The bans for one tokenizer: single tokens as a mask, longer sequences as id arrays. */
    private static final class Prepared implements LogitsProcessor {

        private final int[] singles;
        private final int[][] sequences;

        Prepared(Set<List<Integer>> banned, int vocabSize) {
            List<Integer> single = new ArrayList<>();
            List<int[]> longer = new ArrayList<>();
            for (List<Integer> sequence : banned) {
                int[] ids = sequence.stream().mapToInt(Integer::intValue).toArray();
                if (ids.length == 1) {
                    single.add(ids[0]);
                } else {
                    longer.add(ids);
                }
            }
            this.singles = single.stream().mapToInt(Integer::intValue).filter(id -> id >= 0 && id < vocabSize)
                    .toArray();
            this.sequences = longer.toArray(int[][]::new);
        }

        @Override
        public void process(int row, int[] tokens, int promptLength, float[] scores) {
            for (int id : singles) {
                if (id < scores.length) {
                    scores[id] = Float.NEGATIVE_INFINITY;
                }
            }
            for (int[] sequence : sequences) {
                int last = sequence.length - 1;
                int banned = sequence[last];
                if (banned >= 0 && banned < scores.length && endsWith(tokens, sequence, last)) {
                    scores[banned] = Float.NEGATIVE_INFINITY;
                }
            }
        }

        /** Whether {@code tokens} ends with the first {@code count} ids of {@code sequence}. */
        private static boolean endsWith(int[] tokens, int[] sequence, int count) {
            if (tokens.length < count) {
                return false;
            }
            int offset = tokens.length - count;
            for (int i = 0; i < count; i++) {
                if (tokens[offset + i] != sequence[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
