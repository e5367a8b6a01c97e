package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Walks that start at a class's frontier ({@link TokenTrie.ClassSlice}: the class's tokens set at once,
 * every other token entered where it leaves the class) give the masks of walks over the whole trie, on a
 * real vocabulary, along seeded random walks through formats and patterns whose states run over classes
 * (counted ones that end at a wall, unbounded ones, classes with Unicode beside them). The whole-trie walk
 * is itself checked against the byte-level oracle in {@link AutomatonConstraintTest} and
 * {@link LargeVocabularyTest}.
 */
class FrontierWalkTest {

    private static TokenBytes vocabulary;
    private static TokenTrie trie;

    @BeforeAll
    static void load() throws Exception {
        vocabulary = LargeVocabularyTest.load("cl100k_base");
        trie = new TokenTrie(vocabulary);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base"})
    void frontierWalksGiveTheMasksOfWholeTrieWalks(String name) throws Exception {
        TokenBytes vocabulary = name.equals("cl100k_base") ? FrontierWalkTest.vocabulary : LargeVocabularyTest.load(name);
        TokenTrie trie = name.equals("cl100k_base") ? FrontierWalkTest.trie : new TokenTrie(vocabulary);
        List<dk.brics.automaton.Automaton> languages = List.of(Formats.of("uri", ""), Formats.of("hostname", ""),
                Formats.of("email", ""), EcmaRegex.parse("\"[a-z0-9_]{1,12}\": [0-9]{1,3}"),
                EcmaRegex.parse("[a-z\\u00e0-\\u00ff ]{1,20}"), EcmaRegex.parse("[^\\s\"\\\\]{1,15}!"),
                EcmaRegex.parse("[A-Za-z]+[.,]"));
        int taken = walkLanguages(languages, vocabulary, trie, 31, 5, name);
        // the walks go through the frontier in most of the languages (all but the email's short classes)
        assertThat(taken).isGreaterThanOrEqualTo(5);
    }

    @Test
    @SuppressWarnings("unchecked")
    void grammarWalksFromAClassFrontierGiveTheMasksOfWholeTrieWalks() throws Exception {
        // recursive, so a pushdown grammar, with a URI, a host name and a pattern inside its rules
        Map<String, Object> schema = new com.fasterxml.jackson.databind.ObjectMapper().readValue("""
            {"$defs": {"node": {"type": "object", "properties": {
              "url": {"type": "string", "format": "uri"}, "host": {"type": "string", "format": "hostname"},
              "tag": {"type": "string", "pattern": "^[a-z_]{2,12}$"},
              "children": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 2}},
              "required": ["url", "host", "tag"]}}, "$ref": "#/$defs/node"}""", Map.class);
        int taken = 0;
        for (int seed = 0; seed < 3; seed++) {
            Grammar grammar = JsonSchemaCompiler.compileGrammar(schema, JsonSchemaCompiler.Whitespace.COMPACT);
            GrammarConstraint fast = (GrammarConstraint) grammar.constraint(vocabulary, trie);
            GrammarConstraint whole = (GrammarConstraint) grammar.constraint(vocabulary, trie);
            whole.walkWholeTrie();
            walkBoth(fast.start(), whole.start(), vocabulary, new SplittableRandom(seed), 120, "seed " + seed);
            assertThat(whole.frontierWalksTaken()).isZero();
            taken += fast.frontierWalksTaken();
        }
        assertThat(taken).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base"})
    void plainTextFrontierWalksGiveTheMasksOfWholeTrieWalks(String name) throws Exception {
        TokenBytes vocabulary = name.equals("cl100k_base") ? FrontierWalkTest.vocabulary : LargeVocabularyTest.load(name);
        TokenTrie trie = name.equals("cl100k_base") ? FrontierWalkTest.trie : new TokenTrie(vocabulary);
        // strings unbounded and counted (up to a wall), with escapes, with any character beside plain text
        // (four-byte ones, a newline ends the run), and one whose plain characters part ([a-m] and the rest)
        List<dk.brics.automaton.Automaton> languages = List.of(
                EcmaRegex.parse("\"([^\"\\\\]|\\\\[nt\"])*\"!"), EcmaRegex.parse("\"[^\"\\\\]{0,12}\", \"[^\"\\\\]{2,30}\"\\.?"),
                EcmaRegex.parse(".{0,40}\n"), EcmaRegex.parse("([a-m][^\"]|[^a-m\"][a-m]){0,20}\""));
        int taken = walkLanguages(languages, vocabulary, trie, 17, 3, name);
        // all but the parting one go through the plain frontier
        assertThat(taken).isGreaterThanOrEqualTo(3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void grammarWalksFromThePlainFrontierGiveTheMasksOfWholeTrieWalks() throws Exception {
        Map<String, Object> schema = new com.fasterxml.jackson.databind.ObjectMapper().readValue("""
            {"$defs": {"node": {"type": "object", "properties": {
              "name": {"type": "string"}, "note": {"type": "string", "maxLength": 6},
              "children": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 2},
              "extra": true}, "required": ["name", "note"]}}, "$ref": "#/$defs/node"}""", Map.class);
        int taken = 0;
        for (int seed = 0; seed < 3; seed++) {
            Grammar grammar = JsonSchemaCompiler.compileGrammar(schema, JsonSchemaCompiler.Whitespace.PYTHON);
            GrammarConstraint fast = (GrammarConstraint) grammar.constraint(vocabulary, trie);
            GrammarConstraint whole = (GrammarConstraint) grammar.constraint(vocabulary, trie);
            whole.walkWholeTrie();
            walkBoth(fast.start(), whole.start(), vocabulary, new SplittableRandom(seed), 150, "seed " + seed);
            taken += fast.frontierWalksTaken();
        }
        assertThat(taken).isPositive();
    }

    @Test
    void aFrontierNodeAfterMorePlainCharactersThanAnyPlainTokenHasIsStillReached() throws Exception {
        // the longest plain token has one character, a quote follows four: the chain must reach j = 4
        String[] texts = {"\"", "a", "b", "aaaa\"", "ab\"!", "é"};
        byte[][] bytes = new byte[texts.length + 1][];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        TokenBytes tiny = new TokenBytes(bytes, java.util.Set.of(texts.length));
        TokenTrie small = new TokenTrie(tiny);
        dk.brics.automaton.Automaton language = EcmaRegex.parse("\"[^\"\\\\]{0,6}\"!?");
        AutomatonConstraint fast = new AutomatonConstraint(language, tiny, small);
        AutomatonConstraint whole = new AutomatonConstraint(language, tiny, small);
        whole.walkWholeTrie();
        ConstraintState x = fast.start();
        ConstraintState y = whole.start();
        assertThat(x.advance(0)).isTrue();
        assertThat(y.advance(0)).isTrue();
        long[] a = new long[1];
        long[] b = new long[1];
        x.allowed(a);
        y.allowed(b);
        assertThat(a).isEqualTo(b);
        assertThat(a[0] >>> 3 & 1).as("aaaa\" allowed").isEqualTo(1);
        assertThat(fast.frontierWalksTaken()).isEqualTo(1);
    }

    @Test
    void thePlainFrontierAndPlainTokensAccountForEveryTokenThatIsUtf8() throws Exception {
        // every token is plain, or has a frontier node or tail on its path, or is no UTF-8 at all
        FrontierNodes plain = trie.plainFrontier();
        long[] covered = trie.plainUpTo(trie.longestPlain()).clone();
        for (int k = 0; k < plain.groupStart(plain.groupsFrom(plain.longestPrefix() + 1)); k++) {
            trie.markSubtree(plain.node(k), covered);
        }
        for (int t = 0; t < plain.tailsFrom(plain.longestPrefix() + 1); t++) {
            trie.markTokens(plain.tailNode(t), covered);
        }
        int tails = plain.tailsFrom(plain.longestPrefix() + 1);
        assertThat(tails).isGreaterThan(100);
        java.nio.charset.CharsetDecoder strict = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        for (int id = 0; id < vocabulary.size(); id++) {
            byte[] bytes = vocabulary.bytes(id);
            if (bytes == null || bytes.length == 0 || (covered[id >>> 6] >>> id & 1) != 0) {
                continue;
            }
            // not covered: no UTF-8 prefix of whole characters then at most a character's valid beginning
            boolean utf8;
            try {
                strict.decode(java.nio.ByteBuffer.wrap(bytes));
                utf8 = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                utf8 = false;
            }
            assertThat(utf8).as("token %d %s", id, Arrays.toString(bytes)).isFalse();
        }
    }

    @Test
    void classSlicesStayWithinTheirByteBudgetAndStayExactWhenMadeAgain() throws Exception {
        TokenTrie small = new TokenTrie(vocabulary, 1);
        TokenTrie.AsciiClass lower = new TokenTrie.AsciiClass(0, 0x07FFFFFEL << 32); // a-z
        TokenTrie.AsciiClass digits = new TokenTrie.AsciiClass(0x03FF000000000000L, 0); // 0-9
        long[] first = new long[(vocabulary.size() + 63) / 64];
        small.asciiClass(lower).setUpTo(6, first);
        long one = small.classSliceBytes();
        small.asciiClass(digits);
        // one slice kept at a time: the newest, however large
        assertThat(small.classSliceBytes()).isLessThan(one);
        long[] again = new long[first.length];
        small.asciiClass(lower).setUpTo(6, again);
        assertThat(again).isEqualTo(first);
        assertThat(small.classSliceBytes()).isEqualTo(one);
        assertThat(Arrays.stream(first).map(Long::bitCount).sum()).isGreaterThan(1000);
    }

    /**
     * Four seeded random walks (seed {@code a * p + b} for language {@code p}) through each language's
     * masks with frontier walks, the same tokens taken by a constraint that walks the whole trie (which
     * never takes the frontier): their masks are equal at every step. Returns in how many languages the
     * frontier was taken.
     */
    private static int walkLanguages(List<dk.brics.automaton.Automaton> languages, TokenBytes vocabulary,
            TokenTrie trie, long a, long b, String name) {
        int taken = 0;
        for (int p = 0; p < languages.size(); p++) {
            AutomatonConstraint fast = new AutomatonConstraint(languages.get(p), vocabulary, trie);
            AutomatonConstraint whole = new AutomatonConstraint(languages.get(p), vocabulary, trie);
            whole.walkWholeTrie();
            SplittableRandom random = new SplittableRandom(a * p + b);
            for (int walk = 0; walk < 4; walk++) {
                walkBoth(fast.start(), whole.start(), vocabulary, random, 40, name + " pattern " + p);
            }
            assertThat(whole.frontierWalksTaken()).isZero();
            taken += fast.frontierWalksTaken() > 0 ? 1 : 0;
        }
        return taken;
    }

    /**
     * One seeded random walk through {@code x}'s masks, {@code y} taking the same tokens: their masks are
     * equal at every step.
     */
    private static void walkBoth(ConstraintState x, ConstraintState y, TokenBytes vocabulary, SplittableRandom random,
            int steps, String label) {
        long[] a = new long[(vocabulary.size() + 63) / 64];
        long[] b = new long[a.length];
        StringBuilder text = new StringBuilder();
        for (int step = 0; step < steps; step++) {
            x.allowed(a);
            y.allowed(b);
            assertThat(Arrays.equals(a, b)).as("%s after %s", label, text).isTrue();
            int token = pick(a, random);
            if (token < 0 || vocabulary.endIds().contains(token)) {
                return;
            }
            assertThat(x.advance(token)).isTrue();
            assertThat(y.advance(token)).isTrue();
            text.append(new String(vocabulary.bytes(token), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A uniformly chosen allowed token, or -1. */
    private static int pick(long[] bits, SplittableRandom random) {
        int count = 0;
        for (long w : bits) {
            count += Long.bitCount(w);
        }
        return count == 0 ? -1 : JsonSchemaCorpusTest.nthSetBit(bits, random.nextInt(count));
    }
}
