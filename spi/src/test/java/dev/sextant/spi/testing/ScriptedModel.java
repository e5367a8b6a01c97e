package dev.sextant.spi.testing;

import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test language model over {@link ByteTokenizer} whose next-token logits are a function of a row's
 * history. Records what the decoder asked of its states (forks, appends, closes).
 */
public final class ScriptedModel implements LanguageModel {

    /** Next-token logits of a row, from its tokens so far. */
    @FunctionalInterface
    public interface Logits {
        float[] next(int[] tokens, int promptLength);
    }

    public final List<int[]> forks = new ArrayList<>();
    public final List<int[]> appends = new ArrayList<>();
    public int starts;
    public int closes;

    private final Logits logits;
    private final ModelInfo info;
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    public ScriptedModel(int maxPositions, Logits logits) {
        this.logits = logits;
        this.info = new ModelInfo("scripted", "test", ByteTokenizer.VOCAB, maxPositions, Set.of(ByteTokenizer.EOS),
                -1, -1, Map.of());
    }

    /**
     * A model that continues each prompt with the script given for that prompt's text, then EOS; a
     * prompt without a script gets EOS at once.
     */
    public static ScriptedModel writing(Map<String, String> scripts) {
        return new ScriptedModel(1024, (tokens, promptLength) -> {
            ByteTokenizer t = new ByteTokenizer();
            String prompt = t.decode(Arrays.copyOf(tokens, promptLength), false);
            int[] script = ByteTokenizer.ids(scripts.getOrDefault(prompt, ""));
            int done = tokens.length - promptLength;
            return peaked(done < script.length ? script[done] : ByteTokenizer.EOS);
        });
    }

    /** Logits that prefer {@code token} by a wide margin (probability about 0.9995). */
    public static float[] peaked(int token) {
        float[] scores = new float[ByteTokenizer.VOCAB];
        scores[token] = 20f;
        return scores;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public DecodingState start(List<int[]> prompts, RunLimits limits) throws InputException {
        starts++;
        return new State(prompts);
    }

    @Override
    public float[][] logProbabilities(List<int[]> sequences, RunLimits limits) {
        throw new UnsupportedOperationException("not used by decoders");
    }

    @Override
    public void close() {
    }

    private final class State implements DecodingState {

        private List<int[]> rows = new ArrayList<>();
        private List<Integer> promptLengths = new ArrayList<>();

        State(List<int[]> prompts) {
            for (int[] prompt : prompts) {
                rows.add(prompt.clone());
                promptLengths.add(prompt.length);
            }
        }

        @Override
        public int rows() {
            return rows.size();
        }

        @Override
        public int[] tokens(int row) {
            return rows.get(row).clone();
        }

        @Override
        public int promptLength(int row) {
            return promptLengths.get(row);
        }

        @Override
        public float[] logits(int row) {
            return logits.next(rows.get(row).clone(), promptLengths.get(row)).clone();
        }

        @Override
        public void append(int[] nextTokens) {
            if (nextTokens.length != rows.size()) {
                throw new IllegalArgumentException(nextTokens.length + " tokens for " + rows.size() + " rows");
            }
            appends.add(nextTokens.clone());
            for (int r = 0; r < rows.size(); r++) {
                int[] row = Arrays.copyOf(rows.get(r), rows.get(r).length + 1);
                row[row.length - 1] = nextTokens[r];
                rows.set(r, row);
            }
        }

        @Override
        public float[][][] appendAll(int[][] tokens) {
            throw new UnsupportedOperationException("not used by step decoders");
        }

        @Override
        public void fork(int[] sourceRows) {
            forks.add(sourceRows.clone());
            List<int[]> newRows = new ArrayList<>();
            List<Integer> newLengths = new ArrayList<>();
            for (int source : sourceRows) {
                newRows.add(rows.get(source).clone());
                newLengths.add(promptLengths.get(source));
            }
            rows = newRows;
            promptLengths = newLengths;
        }

        @Override
        public void rewind(int row, int count) {
            throw new UnsupportedOperationException("not used by step decoders");
        }

        @Override
        public void close() {
            closes++;
        }
    }
}
