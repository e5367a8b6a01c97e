package dev.sextant.spi.testing;

import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A constraint that allows exactly the texts it lists: a token is allowed when the text with its bytes
 * is a prefix of one of them, an end-of-sequence id when the text is one of them. Small enough to check
 * by eye, for tests of what is built on constraints.
 */
public final class TextListConstraint implements Constraint {

    private final TokenBytes vocabulary;
    /** The texts with one char per byte (ISO-8859-1), so that byte prefixes are string prefixes. */
    private final List<String> texts;

    public TextListConstraint(TokenBytes vocabulary, String... texts) {
        this.vocabulary = vocabulary;
        this.texts = Arrays.stream(texts).map(t -> latin(t.getBytes(StandardCharsets.UTF_8))).toList();
    }

    /** The vocabulary of {@link ByteTokenizer}: one token per byte and its end-of-sequence id. */
    public static TokenBytes byteVocabulary() {
        byte[][] bytes = new byte[ByteTokenizer.VOCAB][];
        for (int b = 0; b < 256; b++) {
            bytes[b] = new byte[] {(byte) b};
        }
        return new TokenBytes(bytes, List.of(ByteTokenizer.EOS));
    }

    @Override
    public ConstraintState start() {
        return new State("");
    }

    @Override
    public TokenBytes vocabulary() {
        return vocabulary;
    }

    private static String latin(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private final class State implements ConstraintState {
        private String text;

        State(String text) {
            this.text = text;
        }

        /** The text after {@code token}, or null if it is not allowed here. */
        private String after(int token) {
            if (vocabulary.endIds().contains(token)) {
                return complete() ? text : null;
            }
            byte[] bytes = token >= 0 && token < vocabulary.size() ? vocabulary.bytes(token) : null;
            if (bytes == null) {
                return null;
            }
            String longer = text + latin(bytes);
            return texts.stream().anyMatch(t -> t.startsWith(longer)) ? longer : null;
        }

        @Override
        public void allowed(long[] allowed) {
            Arrays.fill(allowed, 0L);
            for (int id = 0; id < vocabulary.size(); id++) {
                if (after(id) != null) {
                    allowed[id >>> 6] |= 1L << id;
                }
            }
        }

        @Override
        public boolean advance(int token) {
            String longer = after(token);
            if (longer == null) {
                return false;
            }
            text = longer;
            return true;
        }

        @Override
        public boolean complete() {
            return texts.contains(text);
        }

        @Override
        public boolean finished() {
            return complete() && texts.stream().noneMatch(t -> t.length() > text.length() && t.startsWith(text));
        }

        @Override
        public ConstraintState copy() {
            return new State(text);
        }
    }
}
