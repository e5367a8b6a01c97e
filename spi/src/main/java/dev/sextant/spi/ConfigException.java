package dev.sextant.spi;

/**
 * A component or pipeline configuration is invalid. Thrown at load time, never halfway through a
 * run. {@link #key()} names the offending option (e.g. {@code top-p}) when one is to blame, so the
 * host can point at its line and column.
 */
public class ConfigException extends SextantException {

    private final String key;

    public ConfigException(String message) {
        this(null, message);
    }

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public ConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The YAML key of the option at fault, or {@code null} if the whole component is. */
    public String key() {
        return key;
    }
}
