package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a grammar written in a Lark-like notation into a {@link Grammar}:
 *
 * <pre>
 * start: "{" pair ("," pair)* "}"       // rules: lower-case names; ::= works as well as :
 * pair: KEY ":" value
 *     | KEY                               // an alternative may continue on a line that starts with |
 * value: NUMBER | "true"i | list | [sign] INT
 * list: "[" value ("," value)* "]"
 * KEY: /[a-z_]+/                          // terminals: upper-case names, regular (no recursion)
 * sign: "+" | "-"
 * %import common.NUMBER                   // Lark's common terminals: INT, NUMBER, ESCAPED_STRING, WS, ...
 * %ignore WS                              // allowed between any two terminals of rules
 * </pre>
 *
 * Items: {@code "text"} (escapes as in JSON; a trailing {@code i} ignores case), {@code "a".."z"} (a range),
 * {@code /regex/} (ECMAScript, as JSON Schema's pattern), names, {@code ( )} groups, {@code [ ]} optional
 * parts, and the postfixes {@code ? * +} and {@code ~ n} or {@code ~ n..m}. Lark's {@code ?rule} and
 * {@code !rule} prefixes and {@code -> alias} are accepted and change nothing (they shape Lark's parse
 * trees, not the language). The start rule is {@code start}, else the first rule. Rules that are not
 * recursive are inlined, so a grammar without recursion runs as fast as a regular expression; a rule
 * that calls itself before reading any text (left recursion) is refused.
 */
final class GrammarCompiler {

    /** Lark's common terminals, as regular expressions of the same languages (Lark's common.lark). */
    static final Map<String, String> COMMON = Map.ofEntries(
            Map.entry("DIGIT", "[0-9]"),
            Map.entry("HEXDIGIT", "[a-fA-F0-9]"),
            Map.entry("INT", "[0-9]+"),
            Map.entry("SIGNED_INT", "[+-]?[0-9]+"),
            Map.entry("DECIMAL", "[0-9]+\\.[0-9]*|\\.[0-9]+"),
            Map.entry("FLOAT", "[0-9]+[eE][+-]?[0-9]+|([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?"),
            Map.entry("SIGNED_FLOAT", "[+-]?([0-9]+[eE][+-]?[0-9]+|([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)"),
            Map.entry("NUMBER", "[0-9]+[eE][+-]?[0-9]+|([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|[0-9]+"),
            Map.entry("SIGNED_NUMBER", "[+-]?([0-9]+[eE][+-]?[0-9]+|([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|[0-9]+)"),
            Map.entry("ESCAPED_STRING", "\"([^\"\\\\\\n]|\\\\[^\\n])*\""),
            Map.entry("LETTER", "[a-zA-Z]"),
            Map.entry("LCASE_LETTER", "[a-z]"),
            Map.entry("UCASE_LETTER", "[A-Z]"),
            Map.entry("WORD", "[a-zA-Z]+"),
            Map.entry("CNAME", "[_a-zA-Z][_a-zA-Z0-9]*"),
            Map.entry("WS_INLINE", "[ \\t]+"),
            Map.entry("WS", "[ \\t\\f\\r\\n]+"),
            Map.entry("CR", "\\r"),
            Map.entry("LF", "\\n"),
            Map.entry("NEWLINE", "(\\r?\\n)+"));

    /** A parsed expression. */
    private sealed interface Expr permits Lit, Ref, Seq, Alt, Rep {
    }

    private record Lit(Automaton automaton) implements Expr {
    }

    private record Ref(String name, int line, int column) implements Expr {
    }

    private record Seq(List<Expr> items) implements Expr {
    }

    private record Alt(List<Expr> options) implements Expr {
    }

    private record Rep(Expr item, int min, int max) implements Expr {
    }

    /** A rule or terminal as written. */
    private record Def(String name, Expr body, boolean terminal, int line, int column) {
    }

    private final Map<String, Def> defs = new LinkedHashMap<>();
    private final List<Expr> ignored = new ArrayList<>();
    private final GrammarLexer lexer;

    private GrammarCompiler(String text) throws GrammarSyntaxException {
        this.lexer = new GrammarLexer(text);
    }

    /** Compiles {@code text}; {@code start} names the start rule, or null for "start" or the first rule. */
    static Grammar compile(String text, String start) throws GrammarSyntaxException {
        GrammarCompiler c = new GrammarCompiler(text);
        c.parse();
        return c.build(start);
    }

    // ---- parsing

    private void parse() throws GrammarSyntaxException {
        while (true) {
            GrammarLexer.Token t = lexer.next();
            switch (t.kind()) {
                case END -> {
                    return;
                }
                case NEWLINE -> {
                }
                case DIRECTIVE -> directive(t);
                case NAME, PREFIXED_NAME -> {
                    String name = t.kind() == GrammarLexer.Kind.PREFIXED_NAME ? t.text().substring(1) : t.text();
                    GrammarLexer.Token define = lexer.next();
                    if (define.kind() == GrammarLexer.Kind.PRIORITY) {
                        throw error("priorities (" + name + define.text() + ") are not supported", define);
                    }
                    if (define.kind() != GrammarLexer.Kind.DEFINE) {
                        throw error("expected ':' or '::=' after the rule name " + name, define);
                    }
                    if (defs.containsKey(name)) {
                        throw error(name + " is defined twice", t);
                    }
                    Expr body = alternatives();
                    expectEndOfLine();
                    defs.put(name, new Def(name, body, terminal(name), t.line(), t.column()));
                }
                default -> throw error("expected a rule (name: ...) or a directive (%ignore, %import)", t);
            }
        }
    }

    private static boolean terminal(String name) {
        String n = name.startsWith("_") ? name.substring(1) : name;
        return !n.isEmpty() && Character.isUpperCase(n.charAt(0));
    }

    private void directive(GrammarLexer.Token t) throws GrammarSyntaxException {
        switch (t.text()) {
            case "%ignore" -> {
                ignored.add(alternatives());
                expectEndOfLine();
            }
            case "%import" -> {
                GrammarLexer.Token what = lexer.next();
                if (what.kind() != GrammarLexer.Kind.NAME || !what.text().startsWith("common")) {
                    throw error("only Lark's common terminals can be imported (%import common.NAME)", what);
                }
                List<GrammarLexer.Token> names = new ArrayList<>();
                if (what.text().startsWith("common.")) {
                    names.add(new GrammarLexer.Token(GrammarLexer.Kind.NAME, what.text().substring(7), what.line(),
                            what.column() + 7));
                } else if (what.text().equals("common") && lexer.peek().kind() == GrammarLexer.Kind.OPEN) {
                    lexer.next();
                    while (lexer.peek().kind() != GrammarLexer.Kind.CLOSE) {
                        GrammarLexer.Token n = lexer.next();
                        if (n.kind() == GrammarLexer.Kind.COMMA) {
                            continue;
                        }
                        if (n.kind() != GrammarLexer.Kind.NAME) {
                            throw error("expected a terminal name in the import list", n);
                        }
                        names.add(n);
                    }
                    lexer.next();
                } else {
                    throw error("write %import common.NAME or %import common (NAME, NAME)", what);
                }
                for (GrammarLexer.Token n : names) {
                    String regex = COMMON.get(n.text());
                    if (regex == null) {
                        throw error("common has no terminal " + n.text() + "; it has " + new java.util.TreeSet<>(
                                COMMON.keySet()), n);
                    }
                    defs.putIfAbsent(n.text(), new Def(n.text(), new Lit(regex(regex, n)), true, n.line(),
                            n.column()));
                }
                expectEndOfLine();
            }
            default -> throw error("unknown directive " + t.text() + " (known: %ignore, %import)", t);
        }
    }

    private void expectEndOfLine() throws GrammarSyntaxException {
        GrammarLexer.Token t = lexer.peek();
        if (t.kind() != GrammarLexer.Kind.NEWLINE && t.kind() != GrammarLexer.Kind.END) {
            throw error("unexpected " + t.describe(), t);
        }
    }

    private Expr alternatives() throws GrammarSyntaxException {
        List<Expr> options = new ArrayList<>();
        options.add(sequence());
        while (true) {
            GrammarLexer.Token t = lexer.peek();
            if (t.kind() == GrammarLexer.Kind.PIPE) {
                lexer.next();
                options.add(sequence());
            } else if (t.kind() == GrammarLexer.Kind.NEWLINE && lexer.continuesWithPipe()) {
                lexer.next();
            } else {
                break;
            }
        }
        return options.size() == 1 ? options.get(0) : new Alt(options);
    }

    private Expr sequence() throws GrammarSyntaxException {
        List<Expr> items = new ArrayList<>();
        while (true) {
            GrammarLexer.Token t = lexer.peek();
            switch (t.kind()) {
                case STRING, REGEX, NAME, OPEN, OPEN_OPTIONAL -> items.add(postfix(atom()));
                case ARROW -> {
                    lexer.next();
                    GrammarLexer.Token alias = lexer.next();
                    if (alias.kind() != GrammarLexer.Kind.NAME) {
                        throw error("expected an alias name after ->", alias);
                    }
                }
                default -> {
                    return items.size() == 1 ? items.get(0) : new Seq(items);
                }
            }
        }
    }

    private Expr atom() throws GrammarSyntaxException {
        GrammarLexer.Token t = lexer.next();
        switch (t.kind()) {
            case STRING -> {
                String value = t.value();
                if (lexer.peek().kind() == GrammarLexer.Kind.RANGE) {
                    lexer.next();
                    GrammarLexer.Token to = lexer.next();
                    if (to.kind() != GrammarLexer.Kind.STRING || to.value().codePointCount(0, to.value().length()) != 1
                            || value.codePointCount(0, value.length()) != 1) {
                        throw error("a range is written \"a\"..\"z\", one character each side", to);
                    }
                    int lo = value.codePointAt(0);
                    int hi = to.value().codePointAt(0);
                    if (lo > hi) {
                        throw error("the range \"" + value + "\"..\"" + to.value() + "\" is empty", t);
                    }
                    return new Lit(CodePoints.range(lo, hi));
                }
                return new Lit(literal(value, t.text().endsWith("i")));
            }
            case REGEX -> {
                return new Lit(regex(t.value(), t));
            }
            case NAME -> {
                return new Ref(t.text(), t.line(), t.column());
            }
            case OPEN -> {
                Expr inner = alternatives();
                expect(GrammarLexer.Kind.CLOSE, "')'");
                return inner;
            }
            case OPEN_OPTIONAL -> {
                Expr inner = alternatives();
                expect(GrammarLexer.Kind.CLOSE_OPTIONAL, "']'");
                return new Rep(inner, 0, 1);
            }
            default -> throw error("expected an item, got " + t.describe(), t);
        }
    }

    private Expr postfix(Expr item) throws GrammarSyntaxException {
        while (true) {
            GrammarLexer.Token t = lexer.peek();
            switch (t.kind()) {
                case QUESTION -> item = new Rep(item, 0, 1);
                case STAR -> item = new Rep(item, 0, -1);
                case PLUS -> item = new Rep(item, 1, -1);
                case TILDE -> {
                    lexer.next();
                    int min = number();
                    int max = min;
                    if (lexer.peek().kind() == GrammarLexer.Kind.RANGE) {
                        lexer.next();
                        max = number();
                    }
                    if (max < min) {
                        throw error("repetition ~ " + min + ".." + max + " is empty", t);
                    }
                    item = new Rep(item, min, max);
                    continue;
                }
                default -> {
                    return item;
                }
            }
            lexer.next();
        }
    }

    private int number() throws GrammarSyntaxException {
        GrammarLexer.Token t = lexer.next();
        if (t.kind() != GrammarLexer.Kind.NUMBER) {
            throw error("expected a number", t);
        }
        int n = Integer.parseInt(t.text());
        if (n > EcmaRegex.MAX_REPEAT) {
            throw error("repetitions above " + EcmaRegex.MAX_REPEAT + " are not supported", t);
        }
        return n;
    }

    private void expect(GrammarLexer.Kind kind, String what) throws GrammarSyntaxException {
        GrammarLexer.Token t = lexer.next();
        if (t.kind() != kind) {
            throw error("expected " + what + ", got " + t.describe(), t);
        }
    }

    private static Automaton literal(String value, boolean ignoreCase) {
        Automaton a = Automaton.makeEmptyString();
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            Automaton c = CodePoints.single(cp);
            if (ignoreCase) {
                c = c.union(CodePoints.single(Character.toLowerCase(cp))).union(CodePoints.single(Character.toUpperCase(cp)));
            }
            a = a.concatenate(c);
        }
        return a;
    }

    private static Automaton regex(String pattern, GrammarLexer.Token at) throws GrammarSyntaxException {
        try {
            return EcmaRegex.parse(pattern);
        } catch (RegexSyntaxException e) {
            throw new GrammarSyntaxException(e.getMessage() + " in /" + pattern + "/", at.line(),
                    at.column() + 1 + e.index());
        }
    }

    private GrammarSyntaxException error(String message, GrammarLexer.Token at) {
        return new GrammarSyntaxException(message, at.line(), at.column());
    }

    // ---- building

    private final Map<String, Automaton> built = new HashMap<>();
    private final Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    private Automaton ignore;

    private Grammar build(String start) throws GrammarSyntaxException {
        if (defs.isEmpty()) {
            throw new GrammarSyntaxException("the grammar has no rules", 1, 1);
        }
        String first = defs.values().stream().filter(d -> !d.terminal()).map(Def::name).findFirst()
                .orElse(defs.keySet().iterator().next());
        String root = start != null ? start : defs.containsKey("start") ? "start" : first;
        if (!defs.containsKey(root)) {
            throw new GrammarSyntaxException("the start rule " + root + " is not defined", 1, 1);
        }
        Map<String, List<Ref>> references = new HashMap<>();
        for (Def d : defs.values()) {
            List<Ref> refs = new ArrayList<>();
            collect(d.body(), refs);
            for (Ref r : refs) {
                Def target = defs.get(r.name());
                if (target == null) {
                    throw new GrammarSyntaxException(r.name() + " is not defined", r.line(), r.column());
                }
                if (d.terminal() && !target.terminal()) {
                    throw new GrammarSyntaxException("terminal " + d.name() + " uses the rule " + r.name()
                            + ": terminals may use only terminals", r.line(), r.column());
                }
            }
            references.put(d.name(), refs);
        }
        for (Expr e : ignored) {
            List<Ref> refs = new ArrayList<>();
            collect(e, refs);
            for (Ref r : refs) {
                if (!defs.containsKey(r.name())) {
                    throw new GrammarSyntaxException(r.name() + " is not defined", r.line(), r.column());
                }
            }
        }
        Set<String> recursive = Recursion.onCycles(defs.keySet(), name -> references.get(name).stream().map(Ref::name)
                .toList());
        for (String name : recursive) {
            Def d = defs.get(name);
            if (d.terminal()) {
                throw new GrammarSyntaxException("terminal " + name + " is recursive; terminals must be regular"
                        + " (make it a lower-case rule)", d.line(), d.column());
            }
            ruleIndex.put(name, ruleIndex.size());
        }
        if (ruleIndex.size() > Grammar.MAX_RULES) {
            throw new GrammarSyntaxException("more than " + Grammar.MAX_RULES + " recursive rules", 1, 1);
        }
        List<Automaton> ignores = new ArrayList<>();
        for (Expr e : ignored) {
            ignores.add(automaton(e, true));
        }
        ignore = ignores.isEmpty() ? null : Automaton.union(ignores).repeat();
        if (ignore != null) {
            Minimizer.minimize(ignore);
        }
        List<Automaton> rules = new ArrayList<>();
        for (String name : ruleIndex.keySet()) {
            Automaton a = automaton(defs.get(name).body(), false);
            Minimizer.minimize(a);
            rules.add(a);
        }
        Automaton top = reference(root);
        if (ignore != null) {
            top = ignore.concatenate(top).concatenate(ignore);
        }
        Minimizer.minimize(top);
        Grammar grammar = new Grammar(top, rules, List.copyOf(ruleIndex.keySet()));
        if (!grammar.isRegular()) {
            GrammarMachine machine = new GrammarMachine(grammar);
            List<String> left = Grammar.leftRecursion(machine, grammar.names());
            if (!left.isEmpty()) {
                Def d = defs.get(left.get(0));
                throw new GrammarSyntaxException("rule " + left.get(0) + " is left-recursive (it comes back to itself"
                        + " before reading any text); write the repetition with * or + instead, e.g."
                        + " sum: term (\"+\" term)*", d.line(), d.column());
            }
        }
        if (grammar.isEmpty()) {
            throw new GrammarSyntaxException("the grammar generates no text at all (every alternative of " + root
                    + " needs a rule that never ends)", 1, 1);
        }
        return grammar;
    }

    private static void collect(Expr e, List<Ref> out) {
        if (e instanceof Ref r) {
            out.add(r);
        } else if (e instanceof Seq s) {
            s.items().forEach(i -> collect(i, out));
        } else if (e instanceof Alt a) {
            a.options().forEach(o -> collect(o, out));
        } else if (e instanceof Rep r) {
            collect(r.item(), out);
        }
    }

    /** A name where it is used: a call when recursive, else its language inlined. */
    private Automaton reference(String name) throws GrammarSyntaxException {
        Integer index = ruleIndex.get(name);
        if (index != null) {
            return Grammar.call(index);
        }
        Automaton a = built.get(name);
        if (a == null) {
            Def d = defs.get(name);
            a = automaton(d.body(), d.terminal());
            Minimizer.minimize(a);
            built.put(name, a);
        }
        return a.clone();
    }

    /** An expression's language; in rules (not terminals) ignored text may come between items. */
    private Automaton automaton(Expr e, boolean terminal) throws GrammarSyntaxException {
        Automaton gap = terminal || ignore == null ? null : ignore;
        if (e instanceof Lit l) {
            return l.automaton().clone();
        }
        if (e instanceof Ref r) {
            return reference(r.name());
        }
        if (e instanceof Seq s) {
            Automaton a = Automaton.makeEmptyString();
            for (int i = 0; i < s.items().size(); i++) {
                if (i > 0 && gap != null) {
                    a = a.concatenate(gap);
                }
                a = a.concatenate(automaton(s.items().get(i), terminal));
            }
            return a;
        }
        if (e instanceof Alt alt) {
            List<Automaton> options = new ArrayList<>();
            for (Expr o : alt.options()) {
                options.add(automaton(o, terminal));
            }
            return Automaton.union(options);
        }
        Rep r = (Rep) e;
        if (r.max() == 0) {
            return Automaton.makeEmptyString();
        }
        Automaton item = automaton(r.item(), terminal);
        Automaton next = gap == null ? item : gap.concatenate(item);
        // the first item, up to min items in all, then up to max (or any number) more, each after a gap
        Automaton first = item.clone();
        for (int i = 1; i < r.min(); i++) {
            first = first.concatenate(next);
        }
        Automaton more;
        if (r.max() < 0) {
            more = next.repeat();
        } else {
            more = Automaton.makeEmptyString();
            for (int i = r.max() - Math.max(r.min(), 1); i > 0; i--) {
                more = Automaton.makeEmptyString().union(next.concatenate(more));
            }
        }
        Automaton some = first.concatenate(more);
        return r.min() == 0 ? Automaton.makeEmptyString().union(some) : some;
    }
}
