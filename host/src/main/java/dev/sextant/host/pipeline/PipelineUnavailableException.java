package dev.sextant.host.pipeline;

import dev.sextant.spi.SextantException;

/** A pipeline is declared but cannot run because a component it needs could not be created. */
public class PipelineUnavailableException extends SextantException {

    public PipelineUnavailableException(String message) {
        super(message);
    }
}
