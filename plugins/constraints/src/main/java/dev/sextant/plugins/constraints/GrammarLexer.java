package dev.sextant.plugins.constraints;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a grammar text ({@link GrammarCompiler}) into tokens with their line and column. Comments run
 * from {@code //} or {@code #} to the end of the line; line ends inside brackets are dropped, so a
 * bracketed group may span lines.
 */
final class GrammarLexer {

    enum Kind {
        END, NEWLINE, DIRECTIVE, NAME, PREFIXED_NAME, DEFINE, PRIORITY, STRING, REGEX, PIPE, OPEN, CLOSE,
        OPEN_OPTIONAL, CLOSE_OPTIONAL, QUESTION, STAR, PLUS, TILDE, RANGE, NUMBER, ARROW, COMMA
    }

    /** A token: its kind, its text as written, where it starts, and for strings and regexes the value. */
    record Token(Kind kind, String text, int line, int column, String value) {

        Token(Kind kind, String text, int line, int column) {
            this(kind, text, line, column, null);
        }

        String describe() {
            return switch (kind) {
                case END -> "the end of the grammar";
                case NEWLINE -> "the end of the line";
                default -> "'" + text + "'";
            };
        }
    }

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;
    private int next;

    GrammarLexer(String text) throws GrammarSyntaxException {
        this.text = text;
        int depth = 0;
        boolean lineBegins = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            int col = pos - lineStart + 1;
            if (c == '\n') {
                if (depth == 0) {
                    tokens.add(new Token(Kind.NEWLINE, "\n", line, col));
                }
                pos++;
                line++;
                lineStart = pos;
                lineBegins = true;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
                continue;
            }
            if (c == '#' || text.startsWith("//", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
                continue;
            }
            boolean first = lineBegins;
            lineBegins = false;
            if ((c == '?' || c == '!') && first && pos + 1 < text.length() && isNameStart(text.charAt(pos + 1))) {
                int from = pos++;
                readName();
                tokens.add(new Token(Kind.PREFIXED_NAME, text.substring(from, pos), line, col));
            } else if (isNameStart(c)) {
                int from = pos;
                readName();
                tokens.add(new Token(Kind.NAME, text.substring(from, pos), line, col));
                if (first && pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isDigit(text.charAt(pos + 1))) {
                    int p0 = pos++;
                    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                        pos++;
                    }
                    tokens.add(new Token(Kind.PRIORITY, text.substring(p0, pos), line, p0 - lineStart + 1));
                }
            } else if (Character.isDigit(c)) {
                int from = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(from, pos), line, col));
            } else if (c == '%') {
                int from = pos++;
                readName();
                tokens.add(new Token(Kind.DIRECTIVE, text.substring(from, pos), line, col));
            } else if (c == '"' || c == '\'') {
                tokens.add(string(c, col));
            } else if (c == '/') {
                tokens.add(regex(col));
            } else if (text.startsWith("::=", pos)) {
                tokens.add(new Token(Kind.DEFINE, "::=", line, col));
                pos += 3;
            } else if (text.startsWith("..", pos)) {
                tokens.add(new Token(Kind.RANGE, "..", line, col));
                pos += 2;
            } else if (text.startsWith("->", pos)) {
                tokens.add(new Token(Kind.ARROW, "->", line, col));
                pos += 2;
            } else {
                Kind kind = switch (c) {
                    case ':' -> Kind.DEFINE;
                    case '|' -> Kind.PIPE;
                    case '(' -> Kind.OPEN;
                    case ')' -> Kind.CLOSE;
                    case '[' -> Kind.OPEN_OPTIONAL;
                    case ']' -> Kind.CLOSE_OPTIONAL;
                    case '?' -> Kind.QUESTION;
                    case '*' -> Kind.STAR;
                    case '+' -> Kind.PLUS;
                    case '~' -> Kind.TILDE;
                    case ',' -> Kind.COMMA;
                    default -> throw new GrammarSyntaxException("unexpected character '" + c + "'", line, col);
                };
                if (kind == Kind.OPEN || kind == Kind.OPEN_OPTIONAL) {
                    depth++;
                } else if ((kind == Kind.CLOSE || kind == Kind.CLOSE_OPTIONAL) && depth > 0) {
                    depth--;
                }
                tokens.add(new Token(kind, String.valueOf(c), line, col));
                pos++;
            }
        }
        tokens.add(new Token(Kind.END, "", line, pos - lineStart + 1));
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private void readName() {
        while (pos < text.length() && (text.charAt(pos) == '_' || text.charAt(pos) == '.' && pos + 1 < text.length()
                && isNameStart(text.charAt(pos + 1)) || Character.isLetterOrDigit(text.charAt(pos)))) {
            pos++;
        }
    }

    private Token string(char quote, int col) throws GrammarSyntaxException {
        int from = pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw new GrammarSyntaxException("the string is not closed on its line", line, col);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw new GrammarSyntaxException("the string is not closed", line, col);
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> value.append('\n');
                case 't' -> value.append('\t');
                case 'r' -> value.append('\r');
                case 'f' -> value.append('\f');
                case 'b' -> value.append('\b');
                case '0' -> value.append('\0');
                case '\\', '"', '\'', '/' -> value.append(e);
                case 'u', 'x' -> {
                    int digits = e == 'u' ? 4 : 2;
                    if (pos + digits > text.length()
                            || !text.substring(pos, pos + digits).matches("[0-9a-fA-F]+")) {
                        throw new GrammarSyntaxException("\\" + e + " needs " + digits + " hex digits", line,
                                pos - lineStart - 1);
                    }
                    value.append((char) Integer.parseInt(text.substring(pos, pos + digits), 16));
                    pos += digits;
                }
                default -> throw new GrammarSyntaxException("unknown escape \\" + e, line, pos - lineStart - 1);
            }
        }
        if (pos < text.length() && text.charAt(pos) == 'i' && (pos + 1 >= text.length()
                || !Character.isLetterOrDigit(text.charAt(pos + 1)))) {
            pos++;
        }
        return new Token(Kind.STRING, text.substring(from, pos), line, col, value.toString());
    }

    private Token regex(int col) throws GrammarSyntaxException {
        int from = pos++;
        boolean inClass = false;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw new GrammarSyntaxException("the regular expression is not closed on its line", line, col);
            }
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                char e = text.charAt(pos++);
                // \/ is just a slash; every other escape is the regex's own
                if (e != '/') {
                    value.append('\\');
                }
                value.append(e);
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                break;
            }
            value.append(c);
        }
        if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            throw new GrammarSyntaxException("regular expression flags are not supported (write the cases out, e.g."
                    + " [aA])", line, pos - lineStart + 1);
        }
        return new Token(Kind.REGEX, text.substring(from, pos), line, col, value.toString());
    }

    Token next() {
        Token t = tokens.get(next);
        if (next < tokens.size() - 1) {
            next++;
        }
        return t;
    }

    Token peek() {
        return tokens.get(next);
    }

    /** Whether the tokens after the line ends here start with '|' (the rule goes on). */
    boolean continuesWithPipe() {
        int k = next;
        while (k < tokens.size() && tokens.get(k).kind() == Kind.NEWLINE) {
            k++;
        }
        return k < tokens.size() && tokens.get(k).kind() == Kind.PIPE;
    }
}
