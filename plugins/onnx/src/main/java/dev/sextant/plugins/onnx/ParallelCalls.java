package dev.sextant.plugins.onnx;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.SextantException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the independent model calls of one request (the batches of a scoring or next-token call),
 * up to {@code parallel} at once. With one intra-op thread per call, ONNX Runtime computes on the
 * calling thread, so {@code parallel} calls keep that many cores busy; sessions are thread-safe.
 * With {@code parallel} 1 the calls run in turn on the caller's thread and no thread is made.
 */
final class ParallelCalls implements AutoCloseable {

    /** One model call; writes its results where no other call of the request writes. */
    @FunctionalInterface
    interface Call {
        void run() throws SextantException;
    }

    private final int parallel;
    private final ExecutorService executor;

    ParallelCalls(int parallel, String modelName) {
        this.parallel = parallel;
        if (parallel > 1) {
            AtomicInteger count = new AtomicInteger();
            executor = Executors.newFixedThreadPool(parallel, task -> {
                Thread thread = new Thread(task, "sextant-" + modelName + "-call-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        } else {
            executor = null;
        }
    }

    int parallel() {
        return parallel;
    }

    /**
     * Runs every call and returns when all have ended.
     *
     * @throws SextantException the first failure among the calls (the others still end first)
     */
    void runAll(List<Call> calls) throws SextantException {
        if (executor == null || calls.size() < 2) {
            for (Call call : calls) {
                call.run();
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(calls.size());
        for (Call call : calls) {
            futures.add(executor.submit(() -> {
                call.run();
                return null;
            }));
        }
        SextantException failure = null;
        RuntimeException unexpected = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new CancelledException("interrupted while waiting for model calls");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SextantException s && failure == null) {
                    failure = s;
                } else if (e.getCause() instanceof RuntimeException r && unexpected == null) {
                    unexpected = r;
                } else if (e.getCause() instanceof Error error) {
                    throw error;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (unexpected != null) {
            throw unexpected;
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
