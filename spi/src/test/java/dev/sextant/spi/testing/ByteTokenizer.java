package dev.sextant.spi.testing;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * A byte-level test tokenizer: ids 0-255 are the UTF-8 bytes of the text (so ASCII text is one token
 * per character, and a multi-byte character is spelt by several tokens), 256 is an end-of-sequence
 * special token. Decoding an incomplete multi-byte character gives U+FFFD, as byte-level BPE does.
 */
public class ByteTokenizer implements Tokenizer {

    public static final int EOS = 256;
    public static final int VOCAB = 257;

    /** The id of an ASCII character. */
    public static int id(char c) {
        if (c > 127) {
            throw new IllegalArgumentException("not ASCII: " + c);
        }
        return c;
    }

    /** The ids of a text's UTF-8 bytes. */
    public static int[] ids(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        int[] ids = ids(text);
        String[] tokens = new String[ids.length];
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        int t = 0;
        for (int c = 0; c < text.length(); ) {
            int cp = text.codePointAt(c);
            int chars = Character.charCount(cp);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            for (int b = 0; b < bytes; b++, t++) {
                tokens[t] = token(ids[t]);
                starts[t] = c;
                ends[t] = c + chars;
            }
            c += chars;
        }
        return new Encoding(ids, tokens, starts, ends, text);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            if (id == EOS) {
                out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
                bytes.reset();
                if (!skipSpecialTokens) {
                    out.append("<eos>");
                }
            } else {
                bytes.write(id);
            }
        }
        return out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8)).toString();
    }

    @Override
    public String token(int id) {
        if (id == EOS) {
            return "<eos>";
        }
        return id >= 32 && id < 127 ? String.valueOf((char) id) : String.format("<0x%02X>", id);
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
