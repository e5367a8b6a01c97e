package dev.sextant.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Runs a call on a thread of its own and gives up after a time limit. Compiling some schemas takes
 * seconds to minutes inside the automaton library, which never checks for interruption; a run left
 * going would take one of the machine's two cores from every later measurement, so the thread is
 * stopped ({@link Thread#stop()}, which Java 17 still honours; the call's half-built objects are
 * garbage afterwards and it holds no lock that others share). Where the JVM refuses to stop a thread
 * (Java 20 and later), the call is left to finish and a warning says the figures after it are skewed.
 */
final class TimeLimited {

    private TimeLimited() {
    }

    /** The call's result; {@link TimeoutException} past the limit; the call's own exception otherwise. */
    @SuppressWarnings({"deprecation", "removal"})
    static <T> T call(Callable<T> call, long limitMs) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = call.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "bench-time-limited");
        worker.setDaemon(true);
        worker.start();
        worker.join(limitMs);
        if (worker.isAlive()) {
            try {
                worker.stop();
                worker.join();
            } catch (UnsupportedOperationException e) {
                System.err.println("bench: this JVM cannot stop a thread; a call over its limit keeps running and"
                        + " slows what is measured after it (run on Java 17 for clean figures)");
            }
            throw new TimeoutException("over " + limitMs + " ms");
        }
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }
}
