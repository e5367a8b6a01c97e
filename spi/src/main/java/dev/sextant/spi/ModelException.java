package dev.sextant.spi;

/**
 * A model could not be loaded or failed while running (missing file, incompatible export, runtime
 * error). The message names the model folder or file.
 */
public class ModelException extends SextantException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
