package dev.sextant.plugins.constraints;

import static dev.sextant.plugins.constraints.AutomatonConstraintTest.concat;
import static dev.sextant.plugins.constraints.AutomatonConstraintTest.isComplete;
import static dev.sextant.plugins.constraints.AutomatonConstraintTest.isPrefix;
import static dev.sextant.plugins.constraints.AutomatonConstraintTest.prefixes;
import static dev.sextant.plugins.constraints.AutomatonConstraintTest.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import dk.brics.automaton.Automaton;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class GrammarConstraintTest {

    /**
     * Recursive grammars, each written for a nesting depth: depth -1 is the grammar itself (recursive);
     * depth k unrolls it into k levels of rules that are not recursive, so it compiles to a plain automaton
     * that is the oracle: for texts nested less deeply than k the two languages have the same prefixes.
     */
    static final List<IntFunction<String>> GRAMMARS = List.of(
            k -> "start: " + v(k, "v", 0) + "\n" + levels(k, "v", d -> "\"[\" (" + v(k, "v", d + 1) + " (\",\" "
                    + v(k, "v", d + 1) + ")*)? \"]\" | /[0-9]+/ | STR") + "STR: /\"[^\"\\\\]*\"/\n",
            k -> "start: " + v(k, "obj", 0) + "\n" + levels(k, "obj", d -> "\"{\" (pair" + d + " (\",\" pair" + d
                    + ")*)? \"}\"") + levels(k, "pair", d -> "KEY \":\" (" + v(k, "obj", d + 1)
                    + " | \"yes\" | \"no\" | /é+/)") + "KEY: /\"[a-c]*\"/\n%ignore \" \"\n",
            k -> "start: " + v(k, "s", 0) + "\n" + levels(k, "s", d -> "(\"(\" " + v(k, "s", d + 1)
                    + " \")\" | \"中\" | \"😀\" | \"ab\")*"),
            // a bounded plain run inside a rule, which may end there: the caller reads on after it
            k -> "start: " + v(k, "w", 0) + " \"!\"\n" + levels(k, "w", d -> "\"<\" " + v(k, "w", d + 1)
                    + " \">\" | /[^\"\\\\\\x00-\\x1f]{0,3}/"),
            // the same with an ASCII class
            k -> "start: " + v(k, "w", 0) + " \"!\"\n" + levels(k, "w", d -> "\"<\" " + v(k, "w", d + 1)
                    + " \">\" | /[a-e0-9!]{0,3}/"));

    /** The name of level d of a rule (the rule itself when not unrolled). */
    private static String v(int k, String rule, int d) {
        return k < 0 ? rule : d > k ? "NEVER" : rule + d;
    }

    private static String levels(int k, String rule, IntFunction<String> body) {
        if (k < 0) {
            return rule + ": " + body.apply(-1).replaceAll("(pair)-1", "$1") + "\n";
        }
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d <= k; d++) {
            sb.append(rule).append(d).append(": ").append(body.apply(d)).append("\n");
        }
        return sb.toString();
    }

    private static Grammar grammar(int index, int depth) throws GrammarSyntaxException {
        String text = GRAMMARS.get(index).apply(depth);
        if (depth >= 0) {
            text += "NEVER: /[^\\s\\S]/\n";
        }
        return GrammarCompiler.compile(text, "start");
    }

    @Test
    void everyAllowedTokenKeepsTheTextCompletableAndNoOtherIs() throws Exception {
        TokenBytes vocabulary = AutomatonConstraintTest.vocabulary();
        TokenTrie trie = new TokenTrie(vocabulary);
        Random random = new Random(7);
        for (int g = 0; g < GRAMMARS.size(); g++) {
            Grammar recursive = grammar(g, -1);
            assertThat(recursive.isRegular()).isFalse();
            Grammar unrolled = grammar(g, 60);
            assertThat(unrolled.isRegular()).isTrue();
            Automaton prefixes = prefixes(unrolled.top());
            GrammarConstraint constraint = new GrammarConstraint(new GrammarMachine(recursive), vocabulary, trie);
            for (int walk = 0; walk < 25; walk++) {
                ConstraintState state = constraint.start();
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                long[] allowed = new long[(vocabulary.size() + 63) / 64];
                for (int step = 0; step < 12; step++) {
                    state.allowed(allowed);
                    List<Integer> choices = new ArrayList<>();
                    for (int id = 1; id < vocabulary.size(); id++) {
                        boolean expected = isPrefix(prefixes, concat(text.toByteArray(), vocabulary.bytes(id)));
                        boolean actual = (allowed[id >>> 6] & (1L << id)) != 0;
                        assertThat(actual).as("grammar %d after %s: token %d %s", g, show(text.toByteArray()), id,
                                show(vocabulary.bytes(id))).isEqualTo(expected);
                        assertThat(state.copy().advance(id)).as("grammar %d advance %d", g, id).isEqualTo(expected);
                        if (actual) {
                            choices.add(id);
                        }
                    }
                    boolean complete = isComplete(unrolled.top(), text.toByteArray());
                    assertThat(state.complete()).as("grammar %d complete after %s", g, show(text.toByteArray()))
                            .isEqualTo(complete);
                    assertThat((allowed[0] & 1L) != 0).isEqualTo(complete);
                    assertThat(choices.isEmpty() && !complete).as("the mask never empties before a match").isFalse();
                    assertThat(state.finished()).isEqualTo(complete && choices.isEmpty());
                    if (choices.isEmpty() || (complete && random.nextInt(4) == 0)) {
                        break;
                    }
                    int token = choices.get(random.nextInt(choices.size()));
                    assertThat(state.advance(token)).isTrue();
                    text.write(vocabulary.bytes(token));
                }
                if (state.complete()) {
                    assertThat(recursive.matches(new String(text.toByteArray(), StandardCharsets.UTF_8))).isTrue();
                }
            }
        }
    }

    @Test
    void masksOfDeepStacksAreSharedWithShallowerOnes() throws Exception {
        TokenBytes vocabulary = AutomatonConstraintTest.vocabulary();
        GrammarConstraint constraint = new GrammarConstraint(new GrammarMachine(grammar(0, -1)), vocabulary,
                new TokenTrie(vocabulary));
        ConstraintState state = constraint.start();
        long[] allowed = new long[(vocabulary.size() + 63) / 64];
        int open = token(vocabulary, "[");
        long[] sizes = new long[41];
        for (int depth = 0; depth <= 40; depth++) {
            state.allowed(allowed);
            assertThat((allowed[open >>> 6] & (1L << open)) != 0).isTrue();
            sizes[depth] = constraint.cachedMaskBytes();
            assertThat(state.advance(open)).isTrue();
            assertThat(GrammarConstraint.depth(state)).isEqualTo(depth + 3);
        }
        // one mask per depth would grow the cache 40 times; shared masks stop growing after the first levels
        assertThat(sizes[40]).isEqualTo(sizes[10]);
        int close = token(vocabulary, "]");
        for (int depth = 40; depth >= 0; depth--) {
            state.allowed(allowed);
            assertThat(state.complete()).isFalse();
            assertThat(state.advance(close)).isTrue();
        }
        assertThat(state.complete()).isTrue();
        assertThat(state.finished()).isTrue();
    }

    @Test
    void grammarsReadLarkNotation() throws Exception {
        Grammar json = GrammarCompiler.compile("""
                ?start: value
                ?value: object
                      | array
                      | ESCAPED_STRING
                      | SIGNED_NUMBER      -> number
                      | "true" | "false" | "null"
                array  : "[" [value ("," value)*] "]"
                object : "{" [pair ("," pair)*] "}"
                pair   : ESCAPED_STRING ":" value
                %import common.ESCAPED_STRING
                %import common (SIGNED_NUMBER, WS)
                %ignore WS
                """, null);
        assertThat(json.matches("{\"a\": [1, -2.5e3, {\"b\": null}], \"c\" : \"x\\\"y\"}")).isTrue();
        assertThat(json.matches("  [ ]  ")).isTrue();
        assertThat(json.matches("[1,]")).isFalse();
        assertThat(json.matches("{\"a\" 1}")).isFalse();
        assertThat(json.matches("[".repeat(30) + "]".repeat(30))).isTrue();
        assertThat(json.matches("[".repeat(30) + "]".repeat(29))).isFalse();
        Grammar g = GrammarCompiler.compile("""
                start ::= greeting " " NAME "!"~1..3   # GBNF-style definitions work too
                greeting ::= "hello"i | "hi"
                NAME ::= "a".."z"+
                """, null);
        assertThat(g.isRegular()).as("nothing recursive: one automaton").isTrue();
        assertThat(g.matches("HeLLo bob!!")).isTrue();
        assertThat(g.matches("hi bob!!!!")).isFalse();
        assertThat(g.matches("hi Bob!")).isFalse();
    }

    @Test
    void grammarErrorsSayWhatAndWhere() {
        assertError("start: a\na: \"x\" b\n", 2, 8, "b is not defined");
        assertError("start: e\ne: e \"+\" t | t\nt: \"1\"\n", 2, 1, "left-recursive");
        assertError("start: X\nX: \"(\" X \")\" | \"a\"\n", 2, 1, "terminal X is recursive");
        assertError("start: /a(?=b)/\n", 1, 10, "lookaround");
        assertError("start: \"a\n", 1, 8, "not closed");
        assertError("%declare X\nstart: \"a\"\n", 1, 1, "unknown directive");
        assertError("start: \"a\" )\n", 1, 12, "unexpected ')'");
        assertError("start: a\na: \"(\" a \")\"\n", 1, 1, "generates no text");
        // the same where a rule's character class spans several of the automaton's intervals (its steps
        // into one state are listed once, and nothing else is taken for a way there)
        assertError("start: \"s\" x\nx: \"a\" x \"b\"..\"d\" | \"c\" x\n", 1, 1, "generates no text");
        assertError("%import common.NOPE\nstart: \"a\"\n", 1, 16, "common has no terminal NOPE");
    }

    private static void assertError(String text, int line, int column, String message) {
        assertThatThrownBy(() -> GrammarCompiler.compile(text, null)).isInstanceOfSatisfying(
                GrammarSyntaxException.class, e -> {
                    assertThat(e.getMessage()).as(text).contains(message);
                    assertThat(e.line()).as(text).isEqualTo(line);
                    assertThat(e.column()).as(text).isEqualTo(column);
                });
    }

    private static int token(TokenBytes vocabulary, String s) {
        for (int id = 0; id < vocabulary.size(); id++) {
            byte[] b = vocabulary.bytes(id);
            if (b != null && new String(b, StandardCharsets.UTF_8).equals(s)) {
                return id;
            }
        }
        throw new IllegalArgumentException(s);
    }
}
