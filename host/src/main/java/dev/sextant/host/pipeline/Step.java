package dev.sextant.host.pipeline;

import dev.sextant.spi.SextantException;

/** One step of a pipeline: reads and writes slots of the run context. Thread-safe. */
public interface Step {

    /** The step's type name, e.g. {@code generate}. */
    String type();

    /** Runs the step. */
    void run(RunContext context) throws SextantException;
}
