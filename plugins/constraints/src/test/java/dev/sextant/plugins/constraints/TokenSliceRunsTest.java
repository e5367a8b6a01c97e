package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.constraint.TokenBytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The runs that token slices rest on ({@link LiveAutomaton#classRun}, {@link LiveAutomaton#plainRun}) and
 * the trie's plain rests ({@link TokenTrie#plainBelow}), on small patterns whose answers are known. The
 * masks built on them are checked against oracles in {@link AutomatonConstraintTest}.
 */
class TokenSliceRunsTest {

    private static final int LONGEST = 40;

    private static final TokenBytes VOCABULARY = AutomatonConstraintTest.vocabulary();
    private static final TokenTrie TRIE = new TokenTrie(VOCABULARY);

    /** The state after {@code text} (ASCII) from the start of {@code pattern}'s automaton. */
    private static int after(AutomatonConstraint c, String text) {
        int s = c.initialState();
        for (char ch : text.toCharArray()) {
            s = c.automaton().step(s, ch);
        }
        assertThat(s).as("state after %s", text).isNotNegative();
        return s;
    }

    private static AutomatonConstraint of(String pattern) throws Exception {
        return new AutomatonConstraint(EcmaRegex.parse(pattern), VOCABULARY, TRIE);
    }

    private static TokenTrie.AsciiClass chars(String members) {
        long low = 0;
        long high = 0;
        for (char c : members.toCharArray()) {
            if (c < 64) {
                low |= 1L << c;
            } else {
                high |= 1L << (c - 64);
            }
        }
        return new TokenTrie.AsciiClass(low, high);
    }

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    @Test
    void aClassThatADotCutsShortIsNarrowedToOneThatRunsOn() throws Exception {
        AutomatonConstraint c = of("[a-z0-9]+(\\.[a-z0-9]+)*!");
        // from "a", [a-z0-9.!] reads 1 character for sure (a second dot dies); [a-z0-9] runs on unbounded
        LiveAutomaton.ClassRun run = c.automaton().classRun(after(c, "a"), LONGEST);
        assertThat(run.chars()).isEqualTo(chars(ALNUM));
        assertThat(run.run()).isEqualTo(LONGEST + 1);
        assertThat(run.wall()).isFalse();
    }

    @Test
    void aNarrowedClassKeepsItsBoundAndItsWall() throws Exception {
        AutomatonConstraint c = of("[a-z0-9]{1,3}(\\.[a-z0-9]{1,3}){0,2}");
        LiveAutomaton.ClassRun run = c.automaton().classRun(after(c, "a"), LONGEST);
        assertThat(run.chars()).isEqualTo(chars(ALNUM));
        // two more letters at most: a token of three letters never fits (a dot may follow, but no such
        // token is of the class)
        assertThat(run.run()).isEqualTo(2);
        assertThat(run.wall()).isTrue();
    }

    @Test
    void aClassWithAWallIsKeptWhole() throws Exception {
        AutomatonConstraint c = of("[a-z0-9_]{2,4}\"");
        LiveAutomaton.ClassRun run = c.automaton().classRun(c.initialState(), LONGEST);
        assertThat(run.chars()).isEqualTo(chars(ALNUM + "_"));
        assertThat(run.run()).isEqualTo(4);
        assertThat(run.wall()).isTrue();
    }

    @Test
    void aFreeStringRunsOnPlainTextAndABoundedOneUpToItsBound() throws Exception {
        AutomatonConstraint free = of("\"[^\"\\\\]*\"");
        assertThat(free.automaton().plainRun(after(free, "\""))).isEqualTo(Integer.MAX_VALUE);
        AutomatonConstraint bounded = of("\"[^\"\\\\\\x00-\\x1f]{2,4}\"x?");
        int s = after(bounded, "\"a");
        assertThat(bounded.automaton().plainRun(s)).isEqualTo(3);
        assertThat(bounded.automaton().plainWall(s)).isTrue();
    }

    @Test
    void theTrieKnowsThePlainRestUnderEachNode() {
        // under "ab (after the quote): "ab itself (nothing follows), "abcd (2 more) and "abcdef (4 more)
        int n = node("\"ab");
        assertThat(TRIE.plainBelow(n, 4)).isTrue();
        assertThat(TRIE.plainBelow(n, 3)).isFalse();
        // under " there is "a": , whose rest holds a quote: never plain
        assertThat(TRIE.plainBelow(node("\""), Integer.MAX_VALUE)).isFalse();
        // a leaf: nothing follows its bytes
        assertThat(TRIE.plainBelow(node("\"abcdef"), 0)).isTrue();
    }

    @Test
    void aClassSliceSetsExactlyTheClassTokensShortEnoughAndKeepsOtherBits() throws Exception {
        TokenBytes gpt2 = LargeVocabularyTest.load("r50k_base");
        TokenTrie trie = new TokenTrie(gpt2);
        TokenTrie.AsciiClass letters = chars(ALNUM + "-");
        TokenTrie.ClassSlice slice = trie.asciiClass(letters);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        // lengths that take either way of setting (token by token for short ones, the whole class's words
        // and the longer ones cleared for long ones), over bits that hold other tokens already
        for (int length : new int[] {0, 1, 2, 3, 5, 8, 13, 40, 126}) {
            long[] before = new long[(gpt2.size() + 63) / 64];
            for (int w = 0; w < before.length; w++) {
                before[w] = random.nextLong() & random.nextLong();
            }
            long[] bits = before.clone();
            slice.setUpTo(length, bits);
            for (int id = 0; id < gpt2.size(); id++) {
                byte[] b = gpt2.bytes(id);
                boolean ofClass = b != null && b.length > 0 && b.length <= length;
                for (int k = 0; ofClass && k < b.length; k++) {
                    ofClass = letters.contains(b[k] & 0xFF);
                }
                boolean was = (before[id >>> 6] >>> id & 1) != 0;
                assertThat((bits[id >>> 6] >>> id & 1) != 0).as("token %d, length %d", id, length)
                        .isEqualTo(was || ofClass);
            }
        }
    }

    /** The trie node reached by the bytes of {@code text}. */
    private static int node(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (byte b : bytes) {
            int child = n + 1;
            int end = TRIE.subtreeEnd(n == 0 ? 0 : n);
            int found = -1;
            while (child < end) {
                if (TRIE.label(child) == (b & 0xFF)) {
                    found = child;
                    break;
                }
                child = TRIE.subtreeEnd(child);
            }
            assertThat(found).as("node for %s", text).isPositive();
            n = found;
        }
        return n;
    }
}
