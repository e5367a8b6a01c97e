package dev.sextant.spi;

/**
 * Lets a caller stop a running call. Implementations are checked between steps (one decoding step,
 * one batch of probes), so cancellation takes effect within one step.
 */
@FunctionalInterface
public interface Cancellation {

    /** A cancellation that never fires. */
    Cancellation NONE = () -> false;

    /** Whether the caller has asked the call to stop. */
    boolean isCancelled();
}
