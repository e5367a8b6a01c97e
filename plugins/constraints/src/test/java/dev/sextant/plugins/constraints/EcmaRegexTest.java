package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brics.automaton.Automaton;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EcmaRegexTest {

    /** Patterns whose meaning is the same in java.util.regex, the reference here. */
    static final List<String> PATTERNS = List.of("abc", "a|bc|", "(ab)*c?", "[a-c]+x{2,3}", "[^a-c\\d]{1,2}",
            "\\d{3}-\\d{4}", "\\w+@\\w+\\.(com|org)", "\\s*(yes|no)\\s*", "(?:a|b)+?c", "\\.[\\]\\-]\\\\",
            "\"[^\"\\\\]*\"", "-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?", "[\\u00e9\\u4e2d]+", "\\x41\\t",
            ".{2}", "[\\s\\d]+", "(a{0,2}b){2}", "x{3}y{0}z", "[-a]", "[a-]");

    static final List<String> STRINGS = List.of("", "a", "bc", "abc", "ababc", "ab", "c", "aax", "bxx", "cxxx",
            "dd", "1", "e", "555-1234", "55-1234", "me@site.com", "me@site.net", " yes ", "no", "abbac", "b?c",
            ".]\\", ".-\\", "\"x\"", "\"\\\"", "-0.5e+3", "01", "12.", "é中é", "A\t", "ab", "a\n", "\u00e9\u00e9",
            " 1 ", "aabb", "bab", "abb", "xxxz", "xxxyz", "-", "a-", "a{,2}", "\uD83D\uDE00x");

    @Test
    void matchesTheSameStringsAsJavaRegexInFull() throws Exception {
        for (String pattern : PATTERNS) {
            Automaton a = EcmaRegex.parse(pattern);
            Pattern java = Pattern.compile(pattern);
            for (String s : STRINGS) {
                assertThat(a.run(s)).as("/%s/ on \"%s\"", pattern, s).isEqualTo(java.matcher(s).matches());
            }
        }
    }

    @Test
    void anchorsAtTheEdgesAreAccepted() throws Exception {
        assertThat(EcmaRegex.parse("^ab$").run("ab")).isTrue();
        assertThat(EcmaRegex.parse("^ab$").run("xab")).isFalse();
        // a brace that starts no bound is a literal in ECMAScript (Java refuses it)
        assertThat(EcmaRegex.parse("a{,2}").run("a{,2}")).isTrue();
    }

    @Test
    void dotAndNegatedClassesMatchWholeCodePointsNeverLoneSurrogates() throws Exception {
        Automaton dot = EcmaRegex.parse(".");
        assertThat(dot.run("\uD83D\uDE00")).as("an emoji is one character").isTrue();
        assertThat(dot.run("\uD83D")).as("a lone surrogate").isFalse();
        assertThat(dot.run("\n")).isFalse();
        Automaton notA = EcmaRegex.parse("[^a]");
        assertThat(notA.run("\uDE00")).isFalse();
        assertThat(notA.run("\uD83D\uDE00")).isTrue();
        assertThat(EcmaRegex.parse("\\u{1F600}").run("\uD83D\uDE00")).isTrue();
        assertThat(EcmaRegex.parse("\\uD83D\\uDE00").run("\uD83D\uDE00")).isTrue();
    }

    @Test
    void whatIsNotARegularLanguageIsRefusedWithItsPosition() {
        assertError("(a)\\1", "back-references", 3);
        assertError("a(?=b)", "lookaround", 1);
        assertError("a(?<!b)", "lookaround", 1);
        assertError("\\bword", "word boundaries", 0);
        assertError("a^b", "only supported at the start", 1);
        assertError("a$b", "only supported at the end", 1);
        assertError("(ab", "unterminated group", 0);
        assertError("ab)", "unmatched ')'", 2);
        assertError("[z-a]", "range out of order", 2);
        assertError("[ab", "unterminated character class", 0);
        assertError("*a", "nothing to repeat", 0);
        assertError("a{3,2}", "maximum below its minimum", 0);
        assertError("a{2000}", "above 1000", 1);
        assertError("\\q", "unknown escape", 0);
        assertError("\\uD800", "lone surrogate", 0);
    }

    private static void assertError(String pattern, String message, int index) {
        assertThatThrownBy(() -> EcmaRegex.parse(pattern)).as(pattern).isInstanceOf(RegexSyntaxException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((RegexSyntaxException) e).index()).as(pattern).isEqualTo(index));
    }
}
