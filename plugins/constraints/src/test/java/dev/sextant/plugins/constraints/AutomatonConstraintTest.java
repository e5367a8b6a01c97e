package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AutomatonConstraintTest {

    /** Tokens that cross every kind of boundary: quotes and braces, words, halves of multi-byte characters. */
    static TokenBytes vocabulary() {
        List<byte[]> tokens = new ArrayList<>();
        tokens.add(null); // 0: end of sequence
        for (char c = ' '; c <= '~'; c++) {
            tokens.add(new byte[] {(byte) c});
        }
        for (String s : List.of("ab", "bc", "abc", "xx", "\"", "\":", "},", " \"", "{\"", "12", "yes", "no", "ye",
                "\"a\": ", "é", "中", "😀", "é中", "\"é", "abc!", "ab!", "abcd", "abcde", "ab\"", "abcd\"", "<ab",
                ">!", "a>!", "ab>", "\"ab", "\"abcd", "\"abcdef", "\\ab", "ab.cd", "a..b", ".ab", "ab.", "9a.b")) {
            tokens.add(s.getBytes(StandardCharsets.UTF_8));
        }
        int[][] partial = {{0xC3}, {0xA9}, {0xE4, 0xB8}, {0xAD}, {0xE4}, {0xB8, 0xAD}, {0xF0, 0x9F}, {0x98, 0x80},
            {0xF0, 0x9F, 0x98}, {0x80}, {0xFF}, {0xC0, 0x80}, {0xED, 0xA0, 0x80}, {'a', 0xC3}, {0xA9, 'b'}};
        for (int[] p : partial) {
            byte[] b = new byte[p.length];
            for (int k = 0; k < p.length; k++) {
                b[k] = (byte) p[k];
            }
            tokens.add(b);
        }
        return new TokenBytes(tokens.toArray(new byte[0][]), Set.of(0));
    }

    static final List<String> PATTERNS = List.of("(yes|no)", "[a-c]+x{2,3}", "\"[^\"\\\\]*\"", "[\\u00e9\\u4e2d]+",
            ".{2}", "\\{\"a\": (1|12)\\}", "\\u{1F600}?é", "a*", "[^a]{3}",
            // plain runs (see TokenTrie#plainUpTo): one ending at a wall, one where '!' may follow
            "\"[^\"\\\\\\x00-\\x1f]{2,4}\"x?", "[^\"\\\\\\x00-\\x1f]{0,3}(!|\")",
            // ASCII class runs (see TokenSlices): bounded with a wall, unbounded, and one that '!' ends
            "[a-z0-9_]{2,4}\"", "[a-e0-9.<>]*!?", "[a-z]{0,3}(!|\\.)",
            // classes narrowed (a dot may not follow a dot): unbounded labels, and labels of at most 3
            "[a-z0-9]+(\\.[a-z0-9]+)*!", "[a-z0-9]{1,3}(\\.[a-z0-9]{1,3}){0,2}");

    @Test
    void everyAllowedTokenKeepsTheTextCompletableAndNoOtherIs() throws Exception {
        TokenBytes vocabulary = vocabulary();
        TokenTrie trie = new TokenTrie(vocabulary);
        Random random = new Random(42);
        for (String pattern : PATTERNS) {
            Automaton language = EcmaRegex.parse(pattern);
            Automaton prefixes = prefixes(language);
            AutomatonConstraint constraint = new AutomatonConstraint(language, vocabulary, trie);
            for (int walk = 0; walk < 30; walk++) {
                ConstraintState state = constraint.start();
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                long[] allowed = new long[(vocabulary.size() + 63) / 64];
                for (int step = 0; step < 12; step++) {
                    state.allowed(allowed);
                    List<Integer> choices = new ArrayList<>();
                    for (int id = 1; id < vocabulary.size(); id++) {
                        boolean expected = isPrefix(prefixes, concat(text.toByteArray(), vocabulary.bytes(id)));
                        boolean actual = (allowed[id >>> 6] & (1L << id)) != 0;
                        assertThat(actual).as("/%s/ after %s: token %d %s", pattern, show(text.toByteArray()), id,
                                show(vocabulary.bytes(id))).isEqualTo(expected);
                        // advance takes exactly the tokens the mask allows
                        assertThat(state.copy().advance(id)).as("/%s/ advance %d", pattern, id).isEqualTo(expected);
                        if (actual) {
                            choices.add(id);
                        }
                    }
                    boolean complete = isComplete(language, text.toByteArray());
                    assertThat(state.complete()).as("/%s/ complete after %s", pattern, show(text.toByteArray()))
                            .isEqualTo(complete);
                    assertThat((allowed[0] & 1L) != 0).as("end allowed exactly when complete").isEqualTo(complete);
                    assertThat(choices.isEmpty() && !complete).as("the mask never empties before a match").isFalse();
                    assertThat(state.finished()).isEqualTo(complete && choices.isEmpty());
                    if (choices.isEmpty() || (complete && random.nextInt(4) == 0)) {
                        assertThat(state.advance(0)).isEqualTo(complete);
                        break;
                    }
                    int token = choices.get(random.nextInt(choices.size()));
                    ConstraintState before = state.copy();
                    assertThat(state.advance(token)).isTrue();
                    text.write(vocabulary.bytes(token));
                    // a copy is independent of the state it was taken from
                    before.allowed(allowed);
                }
            }
        }
    }

    @Test
    void aTokenThatIsNotAllowedLeavesTheStateAsItWas() throws Exception {
        TokenBytes vocabulary = vocabulary();
        AutomatonConstraint constraint = new AutomatonConstraint(EcmaRegex.parse("(yes|no)"), vocabulary,
                new TokenTrie(vocabulary));
        ConstraintState state = constraint.start();
        int yes = indexOf(vocabulary, "yes");
        int no = indexOf(vocabulary, "no");
        assertThat(state.advance(indexOf(vocabulary, "ab"))).isFalse();
        assertThat(state.advance(0)).as("the end before a match").isFalse();
        assertThat(state.advance(yes)).isTrue();
        assertThat(state.complete()).isTrue();
        assertThat(state.finished()).isTrue();
        assertThat(state.advance(no)).isFalse();
        assertThat(state.advance(0)).isTrue();
    }

    @Test
    void masksAreCachedUpToTheByteLimitAndStayExactPastIt() throws Exception {
        TokenBytes vocabulary = vocabulary();
        TokenTrie trie = new TokenTrie(vocabulary);
        Automaton language = EcmaRegex.parse("[a-c]+x{2,3}");
        AutomatonConstraint cached = new AutomatonConstraint(language, vocabulary, trie);
        AutomatonConstraint uncached = new AutomatonConstraint(language, vocabulary, trie, 0);
        long[] a = new long[(vocabulary.size() + 63) / 64];
        long[] b = new long[a.length];
        ConstraintState x = cached.start();
        ConstraintState y = uncached.start();
        for (String token : List.of("a", "bc", "x", "x")) {
            x.allowed(a);
            y.allowed(b);
            assertThat(b).isEqualTo(a);
            assertThat(x.advance(indexOf(vocabulary, token))).isTrue();
            assertThat(y.advance(indexOf(vocabulary, token))).isTrue();
        }
        assertThat(cached.cachedMaskBytes()).isPositive();
        assertThat(uncached.cachedMaskBytes()).isZero();
    }

    static int indexOf(TokenBytes vocabulary, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int id = 0; id < vocabulary.size(); id++) {
            if (java.util.Arrays.equals(vocabulary.bytes(id), b)) {
                return id;
            }
        }
        throw new IllegalArgumentException(text);
    }

    /** An automaton accepting the prefixes of the language's strings. */
    static Automaton prefixes(Automaton language) {
        Automaton p = language.clone();
        p.determinize();
        p.minimize();
        p.removeDeadTransitions();
        for (State s : p.getStates()) {
            s.setAccept(true);
        }
        return p;
    }

    /** The oracle: is this byte string the start of the UTF-8 encoding of a string of the language? */
    static boolean isPrefix(Automaton prefixes, byte[] bytes) {
        int end = bytes.length;
        int cut = end;
        // the last incomplete character, if any
        for (int k = Math.max(0, end - 3); k < end; k++) {
            int b = bytes[k] & 0xFF;
            int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (b >= 0xC0 && k + length > end) {
                cut = k;
                break;
            }
        }
        String head = decode(bytes, 0, cut);
        if (head == null || !prefixes.run(head)) {
            return false;
        }
        if (cut == end) {
            return true;
        }
        // the code points whose encoding starts with the bytes after the cut: their bits so far, then any
        int lead = bytes[cut] & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        int bits = lead & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F);
        for (int k = cut + 1; k < end; k++) {
            bits = bits << 6 | (bytes[k] & 0x3F);
        }
        int rest = 6 * (length - (end - cut));
        int lo = bits << rest;
        int hi = Math.min(lo | ((1 << rest) - 1), 0x10FFFF);
        for (int cp = lo; cp <= hi; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] full = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            if (startsWith(full, bytes, cut, end) && prefixes.run(head + new String(Character.toChars(cp)))) {
                return true;
            }
        }
        return false;
    }

    static boolean isComplete(Automaton language, byte[] bytes) {
        String s = decode(bytes, 0, bytes.length);
        return s != null && language.run(s);
    }

    private static boolean startsWith(byte[] full, byte[] bytes, int from, int to) {
        if (full.length < to - from) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (full[k - from] != bytes[k]) {
                return false;
            }
        }
        return true;
    }

    private static String decode(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        if (b == null) {
            return null;
        }
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String show(byte[] bytes) {
        if (bytes == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder("[");
        for (byte b : bytes) {
            int v = b & 0xFF;
            sb.append(v >= 0x20 && v < 0x7F ? String.valueOf((char) v) : String.format("\\x%02X", v));
        }
        return sb.append(']').toString();
    }
}
