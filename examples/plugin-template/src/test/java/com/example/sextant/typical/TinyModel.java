package com.example.sextant.typical;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * A stand-in language model for unit tests: one token per character of a small alphabet, and next-
 * token logits computed by a function of the row's tokens so far. Enough to drive a StepDecoder
 * without ONNX Runtime or model files.
 */
final class TinyModel implements LanguageModel {

    /** Token 0 ends a sequence; token i > 0 is ALPHABET.charAt(i - 1). */
    static final String ALPHABET = "abcdefghij ";
    static final int EOS = 0;
    static final int VOCAB = ALPHABET.length() + 1;

    private final Function<int[], float[]> logits;
    private final Tokenizer tokenizer = new CharTokenizer();

    TinyModel(Function<int[], float[]> logits) {
        this.logits = logits;
    }

    /** The id of a character of {@link #ALPHABET}. */
    static int id(char c) {
        int i = ALPHABET.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("not in the alphabet: " + c);
        }
        return i + 1;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("tiny", "test", VOCAB, 512, Set.of(EOS), -1, -1, Map.of());
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public DecodingState start(List<int[]> prompts, RunLimits limits) {
        return new State(prompts);
    }

    @Override
    public float[][] logProbabilities(List<int[]> sequences, RunLimits limits) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }

    private final class State implements DecodingState {
        private List<int[]> rows;
        private List<Integer> promptLengths = new ArrayList<>();

        State(List<int[]> prompts) {
            rows = new ArrayList<>(prompts);
            prompts.forEach(p -> promptLengths.add(p.length));
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
            return logits.apply(rows.get(row).clone()).clone();
        }

        @Override
        public void append(int[] next) {
            for (int r = 0; r < rows.size(); r++) {
                int[] row = Arrays.copyOf(rows.get(r), rows.get(r).length + 1);
                row[row.length - 1] = next[r];
                rows.set(r, row);
            }
        }

        @Override
        public float[][][] appendAll(int[][] tokens) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void fork(int[] sourceRows) {
            List<int[]> newRows = new ArrayList<>();
            List<Integer> newLengths = new ArrayList<>();
            for (int source : sourceRows) {
                newRows.add(rows.get(source));
                newLengths.add(promptLengths.get(source));
            }
            rows = newRows;
            promptLengths = newLengths;
        }

        @Override
        public void rewind(int row, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private static final class CharTokenizer implements Tokenizer {
        @Override
        public Encoding encode(String text, boolean addSpecialTokens) {
            int n = text.length();
            int[] ids = new int[n];
            String[] tokens = new String[n];
            int[] starts = new int[n];
            int[] ends = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = id(text.charAt(i));
                tokens[i] = String.valueOf(text.charAt(i));
                starts[i] = i;
                ends[i] = i + 1;
            }
            return new Encoding(ids, tokens, starts, ends, text);
        }

        @Override
        public String decode(int[] ids, boolean skipSpecialTokens) {
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                if (id != EOS) {
                    out.append(ALPHABET.charAt(id - 1));
                } else if (!skipSpecialTokens) {
                    out.append("</s>");
                }
            }
            return out.toString();
        }

        @Override
        public String token(int id) {
            return id == EOS ? "</s>" : String.valueOf(ALPHABET.charAt(id - 1));
        }

        @Override
        public OptionalInt tokenId(String token) {
            for (int id = 0; id < VOCAB; id++) {
                if (token(id).equals(token)) {
                    return OptionalInt.of(id);
                }
            }
            return OptionalInt.empty();
        }

        @Override
        public int vocabSize() {
            return VOCAB;
        }
    }
}
