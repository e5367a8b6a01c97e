package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an ECMAScript regular expression (the dialect of JSON Schema's {@code pattern}) into an
 * automaton over code points that accepts exactly the strings the pattern matches in full.
 *
 * <p>Supported: literals, {@code .}, classes with ranges and negation, {@code \d \D \w \W \s \S},
 * escapes ({@code \t \n \r \f \v \0 \xHH}, backslash-u with four hex digits or hex digits in braces,
 * and escaped punctuation), groups
 * ({@code (...)}, {@code (?:...)}, {@code (?<name>...)}), alternation, and the quantifiers
 * {@code * + ? {n} {n,} {n,m}} (lazy or not: the matched set is the same), {@code ^} at the start and
 * {@code $} at the end. Refused with the position: back-references and lookaround (not regular),
 * word boundaries, anchors elsewhere.
 */
final class EcmaRegex {

    /** Repetition bounds above this are refused (the automaton would grow with the count). */
    static final int MAX_REPEAT = 1000;

    private final String p;
    private int i;

    private EcmaRegex(String pattern) {
        this.p = pattern;
    }

    /** The automaton of strings {@code pattern} matches in full. */
    static Automaton parse(String pattern) throws RegexSyntaxException {
        EcmaRegex parser = new EcmaRegex(pattern);
        if (parser.peek('^')) {
            parser.i++;
        }
        Automaton a = parser.alternation();
        if (parser.peek('$') && parser.i == pattern.length() - 1) {
            parser.i++;
        }
        if (parser.i < pattern.length()) {
            char c = pattern.charAt(parser.i);
            throw parser.error(c == ')' ? "unmatched ')'" : c == '$' || c == '^'
                    ? "'" + c + "' is only supported at the " + (c == '^' ? "start" : "end") + " of the pattern"
                    : "unexpected '" + c + "'", parser.i);
        }
        return a;
    }

    private Automaton alternation() throws RegexSyntaxException {
        List<Automaton> options = new ArrayList<>();
        options.add(concatenation());
        while (peek('|')) {
            i++;
            options.add(concatenation());
        }
        return options.size() == 1 ? options.get(0) : Automaton.union(options);
    }

    private Automaton concatenation() throws RegexSyntaxException {
        List<Automaton> parts = new ArrayList<>();
        while (i < p.length() && !peek('|') && !peek(')')) {
            if (peek('$') && i == p.length() - 1) {
                break;
            }
            parts.add(repetition());
        }
        return parts.isEmpty() ? Automaton.makeEmptyString() : Automaton.concatenate(parts);
    }

    private Automaton repetition() throws RegexSyntaxException {
        int start = i;
        Automaton a = atom();
        while (i < p.length()) {
            char c = p.charAt(i);
            int min;
            int max;
            if (c == '*') {
                min = 0;
                max = -1;
                i++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                i++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                i++;
            } else if (c == '{' && bounds() != null) {
                int[] b = bounds();
                min = b[0];
                max = b[1];
                i = b[2];
            } else {
                break;
            }
            if (peek('?')) {
                i++; // lazy: the same strings match in full
            }
            if (max >= 0 && max < min) {
                throw error("repetition {" + min + "," + max + "} has its maximum below its minimum", start);
            }
            a = max < 0 ? a.repeat(min) : a.repeat(min, max);
        }
        return a;
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}} at i as {min, max (-1 none), end index}, else null. */
    private int[] bounds() throws RegexSyntaxException {
        int j = i + 1;
        int n = 0;
        int digits = 0;
        while (j < p.length() && Character.isDigit(p.charAt(j))) {
            n = Math.min(n * 10 + (p.charAt(j++) - '0'), Integer.MAX_VALUE / 10);
            digits++;
        }
        if (digits == 0) {
            return null; // a literal '{', as ECMAScript without the u flag reads it
        }
        int max = n;
        if (j < p.length() && p.charAt(j) == ',') {
            j++;
            int m = 0;
            int mDigits = 0;
            while (j < p.length() && Character.isDigit(p.charAt(j))) {
                m = Math.min(m * 10 + (p.charAt(j++) - '0'), Integer.MAX_VALUE / 10);
                mDigits++;
            }
            max = mDigits == 0 ? -1 : m;
        }
        if (j >= p.length() || p.charAt(j) != '}') {
            return null;
        }
        if (n > MAX_REPEAT || max > MAX_REPEAT) {
            throw error("repetition count above " + MAX_REPEAT + " is not supported", i);
        }
        return new int[] {n, max, j + 1};
    }

    private Automaton atom() throws RegexSyntaxException {
        int start = i;
        char c = p.charAt(i);
        switch (c) {
            case '(' -> {
                i++;
                if (p.startsWith("?:", i)) {
                    i += 2;
                } else if (p.startsWith("?=", i) || p.startsWith("?!", i) || p.startsWith("?<=", i)
                        || p.startsWith("?<!", i)) {
                    throw error("lookaround is not supported (it is not a regular language)", start);
                } else if (p.startsWith("?<", i)) {
                    int close = p.indexOf('>', i);
                    if (close < 0) {
                        throw error("unterminated group name", start);
                    }
                    i = close + 1;
                } else if (peek('?')) {
                    throw error("unknown group syntax '(?" + (i + 1 < p.length() ? p.charAt(i + 1) : "") + "'",
                            start);
                }
                Automaton inner = alternation();
                if (!peek(')')) {
                    throw error("unterminated group", start);
                }
                i++;
                return inner;
            }
            case '[' -> {
                return characterClass();
            }
            case '.' -> {
                i++;
                return CodePoints.any().minus(lineTerminators());
            }
            case '\\' -> {
                return escape(false);
            }
            case '*', '+', '?' -> throw error("'" + c + "' has nothing to repeat", start);
            case '^', '$' -> throw error("'" + c + "' is only supported at the " + (c == '^' ? "start" : "end")
                    + " of the pattern", start);
            default -> {
                int cp = p.codePointAt(i);
                i += Character.charCount(cp);
                return CodePoints.single(cp);
            }
        }
    }

    private Automaton characterClass() throws RegexSyntaxException {
        int start = i;
        i++;
        boolean negated = peek('^');
        if (negated) {
            i++;
        }
        List<Automaton> members = new ArrayList<>();
        while (true) {
            if (i >= p.length()) {
                throw error("unterminated character class", start);
            }
            if (peek(']')) {
                // as in ECMAScript, [] matches nothing and [^] any character
                i++;
                break;
            }
            int lo;
            if (peek('\\')) {
                Automaton escaped = escape(true);
                int single = singleCodePoint;
                if (single < 0) {
                    members.add(escaped);
                    continue;
                }
                lo = single;
            } else {
                lo = p.codePointAt(i);
                i += Character.charCount(lo);
            }
            if (peek('-') && i + 1 < p.length() && p.charAt(i + 1) != ']') {
                int dash = i;
                i++;
                int hi;
                if (peek('\\')) {
                    escape(true);
                    hi = singleCodePoint;
                    if (hi < 0) {
                        throw error("a class escape cannot end a range", dash);
                    }
                } else {
                    hi = p.codePointAt(i);
                    i += Character.charCount(hi);
                }
                if (hi < lo) {
                    throw error("range out of order in character class", dash);
                }
                members.add(CodePoints.range(lo, hi));
            } else {
                members.add(CodePoints.single(lo));
            }
        }
        Automaton set = members.isEmpty() ? Automaton.makeEmpty() : Automaton.union(members);
        return negated ? CodePoints.any().minus(set) : set;
    }

    /** After {@link #escape}: the code point it stands for, or -1 for a class such as \d. */
    private int singleCodePoint;

    private Automaton escape(boolean inClass) throws RegexSyntaxException {
        int start = i;
        i++;
        if (i >= p.length()) {
            throw error("the pattern ends with a lone '\\'", start);
        }
        char c = p.charAt(i++);
        singleCodePoint = -1;
        switch (c) {
            case 'd':
                return digits();
            case 'D':
                return CodePoints.any().minus(digits());
            case 'w':
                return word();
            case 'W':
                return CodePoints.any().minus(word());
            case 's':
                return space();
            case 'S':
                return CodePoints.any().minus(space());
            case 'b':
                if (inClass) {
                    return literal(0x08);
                }
                throw error("word boundaries (\\b) are not supported", start);
            case 'B':
                throw error("\\B is not supported", start);
            case 't':
                return literal('\t');
            case 'n':
                return literal('\n');
            case 'r':
                return literal('\r');
            case 'f':
                return literal('\f');
            case 'v':
                return literal(0x0B);
            case '0':
                if (i < p.length() && Character.isDigit(p.charAt(i))) {
                    throw error("octal escapes are not supported", start);
                }
                return literal(0);
            case 'x':
                return literal(hex(2, start));
            case 'u':
                if (peek('{')) {
                    int close = p.indexOf('}', i);
                    if (close < 0) {
                        throw error("unterminated \\u{...}", start);
                    }
                    int cp;
                    try {
                        cp = Integer.parseInt(p.substring(i + 1, close), 16);
                    } catch (NumberFormatException e) {
                        throw error("bad \\u{...} escape", start);
                    }
                    if (cp > CodePoints.MAX) {
                        throw error("code point above U+10FFFF", start);
                    }
                    i = close + 1;
                    return literal(cp);
                }
                int unit = hex(4, start);
                if (unit >= 0xD800 && unit <= 0xDBFF && p.startsWith("\\u", i)) {
                    int save = i;
                    i += 2;
                    int lowUnit = hex(4, save);
                    if (lowUnit >= 0xDC00 && lowUnit <= 0xDFFF) {
                        return literal(Character.toCodePoint((char) unit, (char) lowUnit));
                    }
                    i = save;
                }
                if (unit >= 0xD800 && unit <= 0xDFFF) {
                    throw error("a lone surrogate (\\u" + Integer.toHexString(unit) + ") cannot be generated", start);
                }
                return literal(unit);
            case 'c':
                throw error("control escapes (\\c) are not supported", start);
            default:
                if (c >= '1' && c <= '9') {
                    throw error("back-references are not supported (they are not a regular language)", start);
                }
                if (Character.isLetterOrDigit(c)) {
                    throw error("unknown escape '\\" + c + "'", start);
                }
                i--;
                int cp = p.codePointAt(i);
                i += Character.charCount(cp);
                return literal(cp);
        }
    }

    private Automaton literal(int cp) {
        singleCodePoint = cp;
        return CodePoints.single(cp);
    }

    private int hex(int digits, int start) throws RegexSyntaxException {
        if (i + digits > p.length()) {
            throw error("expected " + digits + " hex digits", start);
        }
        try {
            int v = Integer.parseInt(p.substring(i, i + digits), 16);
            i += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error("expected " + digits + " hex digits", start);
        }
    }

    static Automaton digits() {
        return CodePoints.range('0', '9');
    }

    static Automaton word() {
        return Automaton.union(List.of(CodePoints.range('a', 'z'), CodePoints.range('A', 'Z'), digits(),
                CodePoints.single('_')));
    }

    /** ECMAScript's WhiteSpace and LineTerminator. */
    static Automaton space() {
        List<int[]> r = List.of(new int[] {'\t', '\r'}, new int[] {' ', ' '}, new int[] {0xA0, 0xA0},
                new int[] {0x1680, 0x1680}, new int[] {0x2000, 0x200A}, new int[] {0x2028, 0x2029},
                new int[] {0x202F, 0x202F}, new int[] {0x205F, 0x205F}, new int[] {0x3000, 0x3000},
                new int[] {0xFEFF, 0xFEFF});
        return CodePoints.ranges(r);
    }

    static Automaton lineTerminators() {
        return CodePoints.ranges(List.of(new int[] {'\n', '\n'}, new int[] {'\r', '\r'},
                new int[] {0x2028, 0x2029}));
    }

    private boolean peek(char c) {
        return i < p.length() && p.charAt(i) == c;
    }

    private RegexSyntaxException error(String message, int at) {
        return new RegexSyntaxException(message, at);
    }
}
