package dev.sextant.host.pipeline;

import dev.sextant.spi.SextantException;

/** A run named a pipeline the loaded file does not declare. */
public class UnknownPipelineException extends SextantException {

    public UnknownPipelineException(String message) {
        super(message);
    }
}
