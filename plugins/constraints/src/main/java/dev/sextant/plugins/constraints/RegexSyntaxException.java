package dev.sextant.plugins.constraints;

/** A pattern this engine cannot compile: what is wrong and at which character (0-based). */
final class RegexSyntaxException extends Exception {

    private final int index;

    RegexSyntaxException(String message, int index) {
        super(message);
        this.index = index;
    }

    /** The 0-based index in the pattern where the problem is. */
    int index() {
        return index;
    }
}
