package dev.sextant.plugins.compressors;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Selection;
import dev.sextant.spi.compress.SelectionRequest;
import dev.sextant.spi.compress.Selector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code zipfit} selector: scores each candidate by its mean compression similarity
 * ({@link ZipFit}, {@code 1 - NCD}) to the targets and returns the best, highest score first, ties
 * broken by candidate index.
 *
 * <p>Work per request: {@code C} of every target and every candidate once, then {@code C(xy)} for
 * every candidate-target pair; pairs dominate. Candidates are split into blocks scored on up to
 * {@code threads} threads; each candidate's score is computed by one thread, summing over the
 * targets in their order, so results are exactly the same for any thread count. The sizes of
 * whole lists are kept between requests for the last {@code size-cache} lists, keyed by a SHA-256
 * of their contents: a request with the same targets (or the same candidates, as when the host's
 * {@code select} step scores one fixed corpus against each prompt) reuses them.
 *
 * <p>Thread-safe. Holds a thread pool once a request has used more than one thread; {@link #close}
 * stops it (the host closes the component when its pipeline file is unloaded).
 */
public final class ZipFitSelector implements Selector, AutoCloseable {

    /** Most candidates in one block of work. */
    private static final int MAX_BLOCK = 256;

    private final ZipFitCodec codec;
    private final Integer defaultTopK;
    private final Double defaultThreshold;
    private final int threads;
    private final String name;
    private final Map<String, int[]> sizeCache;
    private final AtomicInteger cacheHits = new AtomicInteger();
    private ExecutorService pool;
    private boolean closed;

    /** A selector named {@code zipfit}. */
    public ZipFitSelector(ZipFitConfig config) throws ConfigException {
        this(config, "zipfit");
    }

    /**
     * @param config the options
     * @param name the component's name, for the pool's thread names
     */
    public ZipFitSelector(ZipFitConfig config, String name) throws ConfigException {
        this.codec = ZipFitCodec.of(config.codec(), config.level());
        if (config.topK() != null && config.topK() < 1) {
            throw new ConfigException("top-k", "top-k must be at least 1, got " + config.topK()
                    + "; leave it out to keep every candidate that passes the threshold");
        }
        if (config.threshold() != null && !Double.isFinite(config.threshold())) {
            throw new ConfigException("threshold", "threshold must be a finite number, got " + config.threshold());
        }
        if (config.threads() != null && config.threads() < 1) {
            throw new ConfigException("threads", "threads must be at least 1, got " + config.threads()
                    + "; leave it out to use every available processor");
        }
        if (config.sizeCache() < 0) {
            throw new ConfigException("size-cache", "size-cache must be 0 (off) or more, got " + config.sizeCache());
        }
        this.defaultTopK = config.topK();
        this.defaultThreshold = config.threshold();
        this.threads = config.threads() != null ? config.threads() : Runtime.getRuntime().availableProcessors();
        this.name = name;
        int capacity = config.sizeCache();
        this.sizeCache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The codec and level in use. */
    public ZipFitCodec codec() {
        return codec;
    }

    /** The number of threads candidates are scored on. */
    public int threads() {
        return threads;
    }

    /** How many text lists (targets or candidates) had their sizes in the cache (for tests and diagnostics). */
    public int sizeCacheHits() {
        return cacheHits.get();
    }

    @Override
    public Selection select(SelectionRequest request) throws SextantException {
        double[] scores = scores(request.targets(), request.candidates(), request.limits());
        Integer topK = request.topK() != null ? request.topK() : defaultTopK;
        Double threshold = request.threshold() != null ? request.threshold() : defaultThreshold;
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byScore = Double.compare(scores[b], scores[a]);
            return byScore != 0 ? byScore : Integer.compare(a, b);
        });
        List<Selection.Selected> selected = new ArrayList<>();
        for (int index : order) {
            if (topK != null && selected.size() >= topK) {
                break;
            }
            if (threshold != null && scores[index] < threshold) {
                break;
            }
            selected.add(new Selection.Selected(index, scores[index]));
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", "zipfit");
        info.put("score", "mean over the targets of 1 - NCD(candidate, target)");
        info.put("codec", codec.name());
        info.put("level", codec.level());
        info.put("targets", request.targets().size());
        info.put("scored", scores.length);
        if (topK != null) {
            info.put("top_k", topK);
        }
        if (threshold != null) {
            info.put("threshold", threshold);
        }
        return new Selection(selected, scores.length, info);
    }

    /**
     * Every candidate's score, in candidate order: its mean {@code 1 - NCD} to the targets.
     *
     * @throws InputException if there are no targets or no candidates, or one of them is empty
     * @throws CancelledException if the limits' deadline passes or the call is cancelled
     */
    public double[] scores(List<String> targets, List<String> candidates, RunLimits limits)
            throws SextantException {
        RunLimits runLimits = limits == null ? RunLimits.DEFAULT : limits;
        if (targets.isEmpty()) {
            throw new InputException("zipfit needs at least one target text to compare candidates with; got none");
        }
        if (candidates.isEmpty()) {
            throw new InputException("zipfit needs at least one candidate text to score; got none");
        }
        byte[][] targetBytes = utf8(targets, "target");
        byte[][] candidateBytes = utf8(candidates, "candidate");
        runLimits.check();
        String targetKey = key(targetBytes);
        int[] sizes = cached(targetKey);
        if (sizes == null) {
            sizes = new int[targetBytes.length];
            try (ZipFitCodec.Sizer sizer = codec.open()) {
                for (int i = 0; i < targetBytes.length; i++) {
                    sizes[i] = sizer.size(targetBytes[i], targetBytes[i].length);
                }
            }
            cache(targetKey, sizes);
        }
        String candidateKey = key(candidateBytes);
        int[] cachedCandidateSizes = cached(candidateKey);
        int[] candidateSizes = cachedCandidateSizes != null ? cachedCandidateSizes : new int[candidateBytes.length];
        double[] scores = new double[candidates.size()];
        int n = scores.length;
        int workers = Math.min(threads, n);
        int block = Math.max(1, Math.min(MAX_BLOCK, n / (workers * 8)));
        AtomicBoolean stop = new AtomicBoolean();
        List<Block> blocks = new ArrayList<>();
        for (int from = 0; from < n; from += block) {
            blocks.add(new Block(from, Math.min(n, from + block), candidateBytes, candidateSizes,
                    cachedCandidateSizes == null, targetBytes, sizes, scores, runLimits, stop));
        }
        run(blocks, workers, stop);
        if (cachedCandidateSizes == null) {
            cache(candidateKey, candidateSizes);
        }
        return scores;
    }

    /** Runs the blocks on the calling thread or the pool; rethrows the first failure. */
    private void run(List<Block> blocks, int workers, AtomicBoolean stop) throws SextantException {
        if (workers <= 1 || blocks.size() == 1) {
            for (Block b : blocks) {
                b.call();
            }
            return;
        }
        ExecutorService executor = pool();
        List<Future<Void>> futures = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            futures.add(executor.submit(b));
        }
        try {
            for (Future<Void> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("zipfit scoring was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SextantException s) {
                throw s;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } finally {
            stop.set(true);
            for (Future<Void> future : futures) {
                future.cancel(false);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }

    private synchronized ExecutorService pool() {
        if (closed) {
            throw new IllegalStateException("zipfit selector '" + name + "' is closed");
        }
        if (pool == null) {
            AtomicInteger count = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "zipfit-" + name + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    private int[] cached(String key) {
        synchronized (sizeCache) {
            int[] sizes = sizeCache.get(key);
            if (sizes != null) {
                cacheHits.incrementAndGet();
            }
            return sizes;
        }
    }

    private void cache(String key, int[] sizes) {
        synchronized (sizeCache) {
            sizeCache.put(key, sizes);
        }
    }

    /** A digest of the whole list: each text's length, then its bytes. */
    private static String key(byte[][] texts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
        for (byte[] text : texts) {
            length.clear();
            digest.update(length.putInt(text.length).array());
            digest.update(text);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[][] utf8(List<String> texts, String what) throws InputException {
        byte[][] out = new byte[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            String text = texts.get(i);
            if (text.isEmpty()) {
                throw new InputException(what + " " + i + " (counting from 0) is empty; zipfit cannot compare an"
                        + " empty text (drop it from the " + what + "s)");
            }
            out[i] = text.getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Scores candidates {@code [from, to)} on one thread. */
    private final class Block implements java.util.concurrent.Callable<Void> {

        private final int from;
        private final int to;
        private final byte[][] candidates;
        private final int[] candidateSizes;
        private final boolean measureCandidates;
        private final byte[][] targets;
        private final int[] targetSizes;
        private final double[] scores;
        private final RunLimits limits;
        private final AtomicBoolean stop;

        /**
         * @param candidateSizes the candidates' sizes: read, or (when {@code measureCandidates})
         *     written for {@code [from, to)}
         */
        Block(int from, int to, byte[][] candidates, int[] candidateSizes, boolean measureCandidates,
                byte[][] targets, int[] targetSizes, double[] scores, RunLimits limits, AtomicBoolean stop) {
            this.from = from;
            this.to = to;
            this.candidates = candidates;
            this.candidateSizes = candidateSizes;
            this.measureCandidates = measureCandidates;
            this.targets = targets;
            this.targetSizes = targetSizes;
            this.scores = scores;
            this.limits = limits;
            this.stop = stop;
        }

        @Override
        public Void call() throws CancelledException {
            int longestTarget = 0;
            for (byte[] y : targets) {
                longestTarget = Math.max(longestTarget, y.length);
            }
            byte[] joined = new byte[0];
            try (ZipFitCodec.Sizer sizer = codec.open()) {
                for (int c = from; c < to; c++) {
                    if (stop.get()) {
                        return null;
                    }
                    limits.check();
                    byte[] x = candidates[c];
                    if (measureCandidates) {
                        candidateSizes[c] = sizer.size(x, x.length);
                    }
                    int cx = candidateSizes[c];
                    if (joined.length < x.length + 1 + longestTarget) {
                        joined = new byte[x.length + 1 + longestTarget];
                    }
                    // xy = x, the separator, y: x is written once, each target after it in turn
                    System.arraycopy(x, 0, joined, 0, x.length);
                    joined[x.length] = ZipFit.SEPARATOR;
                    double sum = 0;
                    for (int t = 0; t < targets.length; t++) {
                        byte[] y = targets[t];
                        System.arraycopy(y, 0, joined, x.length + 1, y.length);
                        sum += ZipFit.similarity(cx, targetSizes[t], sizer.size(joined, x.length + 1 + y.length));
                    }
                    scores[c] = sum / targets.length;
                }
            }
            return null;
        }
    }
}
