package dev.sextant.host.config;

import java.nio.file.Path;

/**
 * One thing wrong with a pipeline file, with where it is. Lines and columns count from 1.
 *
 * @param file the file, as the user named it
 * @param line 1-based line, 0 if unknown
 * @param column 1-based column, 0 if unknown
 * @param message what is wrong and how to fix it
 */
public record Problem(Path file, int line, int column, String message) {

    /** {@code file:line:col: message}, the form compilers use so editors can jump to it. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
