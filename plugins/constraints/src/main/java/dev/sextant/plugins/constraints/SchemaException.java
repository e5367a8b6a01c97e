package dev.sextant.plugins.constraints;

/** A JSON Schema that cannot be compiled: what is wrong and where (a JSON pointer into the schema). */
final class SchemaException extends Exception {

    private final String pointer;

    SchemaException(String pointer, String message) {
        super(message);
        this.pointer = pointer;
    }

    /** The JSON pointer of the offending keyword or value ("" is the root). */
    String pointer() {
        return pointer;
    }
}
