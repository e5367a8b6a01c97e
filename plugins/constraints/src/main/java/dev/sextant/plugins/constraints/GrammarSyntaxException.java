package dev.sextant.plugins.constraints;

/** A grammar this engine cannot compile: what is wrong and where (1-based line and column). */
final class GrammarSyntaxException extends Exception {

    private final int line;
    private final int column;

    GrammarSyntaxException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    int line() {
        return line;
    }

    int column() {
        return column;
    }

    /** "line L, column C: message". */
    String located() {
        return "line " + line + ", column " + column + ": " + getMessage();
    }
}
