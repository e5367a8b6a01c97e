package dev.sextant.host.config;

/**
 * Thrown by a config record's constructor when one option's value is malformed, so the loader can
 * point at that option's line and column instead of the whole mapping. Unchecked because a
 * record's compact constructor cannot throw checked exceptions.
 */
public class InvalidOptionException extends IllegalArgumentException {

    private final String key;

    /**
     * @param key the option's YAML key, e.g. {@code tokens}
     * @param message what is wrong and what is expected, without the key
     */
    public InvalidOptionException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The YAML key of the option at fault. */
    public String key() {
        return key;
    }
}
