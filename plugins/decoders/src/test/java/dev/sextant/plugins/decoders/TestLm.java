package dev.sextant.plugins.decoders;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test language model over {@link ByteTokenizer} (EOS is 256) whose next-token logits are a function
 * of a row's tokens, with every {@link DecodingState} operation (including {@code appendAll} and
 * {@code rewind}) and counters of what the decoder asked for. Not thread-safe.
 */
final class TestLm implements LanguageModel {

    /** Next-token logits of a row, from its tokens so far. */
    @FunctionalInterface
    interface Logits {
        float[] next(int[] tokens, int promptLength);
    }

    final List<int[]> forks = new ArrayList<>();
    int starts;
    int closes;
    int appends;
    int appendAlls;
    int appendedByAppendAll;
    int rewinds;
    /** Runs of the model: starts, appends and appendAlls. */
    int calls;

    private final Logits logits;
    private final ModelInfo info;
    private final Tokenizer tokenizer;

    TestLm(int maxPositions, Logits logits) {
        this(maxPositions, logits, new ByteTokenizer());
    }

    TestLm(int maxPositions, Logits logits, Tokenizer tokenizer) {
        this.logits = logits;
        this.tokenizer = tokenizer;
        this.info = new ModelInfo("test-lm", "test", ByteTokenizer.VOCAB, maxPositions, Set.of(ByteTokenizer.EOS),
                -1, -1, Map.of());
    }

    /**
     * A model whose next-token probabilities depend on the text generated so far (after the prompt):
     * {@code table.get(generated)} maps characters (or {@link ByteTokenizer#EOS} as the key '$') to
     * probabilities; a generated text without an entry ends with EOS.
     */
    static TestLm probabilities(Map<String, Map<Character, Double>> table) {
        ByteTokenizer t = new ByteTokenizer();
        return new TestLm(1024, (tokens, promptLength) -> {
            String generated = t.decode(Arrays.copyOfRange(tokens, promptLength, tokens.length), false);
            Map<Character, Double> next = table.getOrDefault(generated, Map.of('$', 1.0));
            float[] scores = new float[ByteTokenizer.VOCAB];
            Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            next.forEach((c, p) -> scores[c == '$' ? ByteTokenizer.EOS : c] = (float) Math.log(p));
            return scores;
        });
    }

    /**
     * Pseudo-random logits over the lower-case letters, space and EOS, a function of the row's whole
     * history (the same history always gives the same logits). EOS is {@code eosBias} lower than the
     * letters on average, so sequences end now and then.
     */
    static TestLm hashed(int maxPositions, double eosBias) {
        return new TestLm(maxPositions, (tokens, promptLength) -> {
            long h = 1125899906842597L;
            for (int t : tokens) {
                h = 31 * h + t;
            }
            java.util.SplittableRandom random = new java.util.SplittableRandom(h);
            float[] scores = new float[ByteTokenizer.VOCAB];
            Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            for (char c = 'a'; c <= 'z'; c++) {
                scores[c] = (float) (3 * random.nextDouble());
            }
            scores[' '] = (float) (3 * random.nextDouble());
            scores[ByteTokenizer.EOS] = (float) (3 * random.nextDouble() - eosBias);
            return scores;
        });
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
    public DecodingState start(List<int[]> prompts, RunLimits limits) {
        starts++;
        calls++;
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
        private boolean closed;

        State(List<int[]> prompts) {
            for (int[] prompt : prompts) {
                rows.add(prompt.clone());
                promptLengths.add(prompt.length);
            }
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("closed");
            }
        }

        @Override
        public int rows() {
            return rows.size();
        }

        @Override
        public int[] tokens(int row) {
            checkOpen();
            return rows.get(row).clone();
        }

        @Override
        public int promptLength(int row) {
            return promptLengths.get(row);
        }

        @Override
        public float[] logits(int row) {
            checkOpen();
            return logits.next(rows.get(row).clone(), promptLengths.get(row)).clone();
        }

        @Override
        public void append(int[] nextTokens) {
            checkOpen();
            if (nextTokens.length != rows.size()) {
                throw new IllegalArgumentException(nextTokens.length + " tokens for " + rows.size() + " rows");
            }
            appends++;
            calls++;
            for (int r = 0; r < rows.size(); r++) {
                push(r, nextTokens[r]);
            }
        }

        private void push(int r, int token) {
            int[] row = Arrays.copyOf(rows.get(r), rows.get(r).length + 1);
            row[row.length - 1] = token;
            if (row.length > info.maxPositions()) {
                throw new IllegalStateException("row " + r + " is longer than the context");
            }
            rows.set(r, row);
        }

        @Override
        public float[][][] appendAll(int[][] tokens) {
            checkOpen();
            if (tokens.length != rows.size()) {
                throw new IllegalArgumentException(tokens.length + " rows of tokens for " + rows.size() + " rows");
            }
            appendAlls++;
            calls++;
            float[][][] out = new float[rows.size()][][];
            for (int r = 0; r < rows.size(); r++) {
                if (tokens[r].length != tokens[0].length) {
                    throw new IllegalArgumentException("rows differ in length");
                }
                appendedByAppendAll += tokens[r].length;
                out[r] = new float[tokens[r].length][];
                for (int i = 0; i < tokens[r].length; i++) {
                    push(r, tokens[r][i]);
                    out[r][i] = logits(r);
                }
            }
            return out;
        }

        @Override
        public void fork(int[] sourceRows) {
            checkOpen();
            if (sourceRows.length == 0) {
                throw new IllegalArgumentException("empty fork");
            }
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
            checkOpen();
            int[] tokens = rows.get(row);
            if (count < 0 || tokens.length - count < promptLengths.get(row)) {
                throw new IllegalArgumentException("cannot rewind " + count + " tokens of row " + row);
            }
            rewinds++;
            rows.set(row, Arrays.copyOf(tokens, tokens.length - count));
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                closes++;
            }
        }
    }
}
