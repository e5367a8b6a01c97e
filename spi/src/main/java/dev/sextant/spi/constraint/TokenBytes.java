package dev.sextant.spi.constraint;

import dev.sextant.spi.model.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;

/**
 * A vocabulary as the bytes each token adds to the text: what constraints are compiled against. A
 * token is a byte string that may cross any boundary of the constrained text (`":"`, `"},`, a space
 * and a quote, half of a multi-byte character). Tokens without text (special tokens) are {@code null}:
 * never allowed, except the end-of-sequence ids, which end the text.
 */
public final class TokenBytes {

    private final byte[][] bytes;
    private final Set<Integer> endIds;

    /**
     * @param bytes per token id, its bytes, or {@code null} for a token that adds no text
     * @param endIds the end-of-sequence ids
     */
    public TokenBytes(byte[][] bytes, Collection<Integer> endIds) {
        this.bytes = bytes.clone();
        this.endIds = Set.copyOf(endIds);
        for (int id : this.endIds) {
            if (id < 0 || id >= bytes.length) {
                throw new IllegalArgumentException("end-of-sequence id " + id + " is outside the vocabulary 0.."
                        + (bytes.length - 1));
            }
            this.bytes[id] = null;
        }
    }

    /** How many token ids there are. */
    public int size() {
        return bytes.length;
    }

    /** The bytes token {@code id} adds, or {@code null} for a token without text. Do not modify. */
    public byte[] bytes(int id) {
        return bytes[id];
    }

    /** The end-of-sequence ids. */
    public Set<Integer> endIds() {
        return endIds;
    }

    /**
     * The vocabulary of a tokenizer. Byte-level BPE vocabularies (GPT-2's alphabet: {@code Ġ} for a
     * space) and SentencePiece ones ({@code ▁} for a space, {@code <0xAB>} byte tokens) are read from
     * the vocabulary entries; any other from each token's decoded text. Special tokens add no text.
     */
    public static TokenBytes of(Tokenizer tokenizer, Collection<Integer> endIds) {
        int n = tokenizer.vocabSize();
        Set<Integer> special = tokenizer.specialTokenIds();
        String[] entries = new String[n];
        boolean byteLevel = true;
        boolean byteLevelMark = false;
        boolean pieceMark = false;
        for (int id = 0; id < n; id++) {
            if (special.contains(id) || endIds.contains(id)) {
                continue;
            }
            String entry = tokenizer.token(id);
            entries[id] = entry;
            if (entry == null) {
                continue;
            }
            for (int i = 0; i < entry.length(); i++) {
                char c = entry.charAt(i);
                if (c >= ByteLevel.ALPHABET_SIZE || ByteLevel.byteOf(c) < 0) {
                    byteLevel = false;
                } else if (c >= 256) {
                    byteLevelMark = true;
                }
                if (c == '\u2581') {
                    pieceMark = true;
                }
            }
        }
        byte[][] bytes = new byte[n][];
        int[] one = new int[1];
        for (int id = 0; id < n; id++) {
            String entry = entries[id];
            if (entry == null) {
                continue;
            }
            if (byteLevel && byteLevelMark) {
                bytes[id] = ByteLevel.decode(entry);
            } else if (pieceMark) {
                bytes[id] = piece(entry);
            } else {
                one[0] = id;
                bytes[id] = tokenizer.decode(one, false).getBytes(StandardCharsets.UTF_8);
            }
        }
        return new TokenBytes(bytes, endIds);
    }

    /**
     * Bytes written as a byte-level vocabulary entry (GPT-2's alphabet, as Hugging Face's
     * {@code tokenizer.json} writes them): what {@link #of} reads back to the same bytes.
     */
    public static String byteLevelEntry(byte[] bytes) {
        StringBuilder entry = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            entry.append(ByteLevel.charOf(b & 0xFF));
        }
        return entry.toString();
    }

    private static byte[] piece(String entry) {
        if (entry.length() == 6 && entry.startsWith("<0x") && entry.endsWith(">")) {
            try {
                return new byte[] {(byte) Integer.parseInt(entry.substring(3, 5), 16)};
            } catch (NumberFormatException e) {
                // not a byte token after all: its text
            }
        }
        return entry.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
    }

    /** GPT-2's byte-level alphabet: each byte is a printable character. */
    static final class ByteLevel {

        static final int ALPHABET_SIZE = 512;
        private static final int[] BYTE_OF = new int[ALPHABET_SIZE];
        private static final char[] CHAR_OF = new char[256];

        static {
            java.util.Arrays.fill(BYTE_OF, -1);
            int next = 256;
            for (int b = 0; b < 256; b++) {
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                CHAR_OF[b] = (char) (printable ? b : next++);
                BYTE_OF[CHAR_OF[b]] = b;
            }
        }

        static char charOf(int b) {
            return CHAR_OF[b];
        }

        private ByteLevel() {
        }

        static int byteOf(char c) {
            return c < ALPHABET_SIZE ? BYTE_OF[c] : -1;
        }

        static byte[] decode(String entry) {
            byte[] out = new byte[entry.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) byteOf(entry.charAt(i));
            }
            return out;
        }
    }
}
