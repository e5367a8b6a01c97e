package dev.sextant.plugins.compressors;

import dev.sextant.plugins.compressors.SelfInformationUnits.Unit;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.Span;
import dev.sextant.spi.compress.WordScore;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code self-information} compressor (Selective Context, Li et al. 2023): each token's
 * self-information {@code -ln p(token | preceding tokens)} under a causal language model, in nats;
 * a unit's is the sum over its tokens; the least informative units are dropped until the budget
 * is met. Units are never cut.
 *
 * <p><b>Scoring.</b> The context is scored alone, as Selective Context does: the question is neither
 * compressed nor used as conditioning. The context is encoded without special tokens; if the model
 * has a BOS token it is put before the first chunk so that the first token is scored too (otherwise
 * the first token gets the mean of the others). A context longer than the model reads at once is
 * cut into chunks; each chunk after the first starts with up to {@code context-window} tokens of
 * the text before it, as conditioning only. Chunks go to {@link LanguageModel#logProbabilities} in
 * batches of {@code max-batch}.
 *
 * <p><b>Budgets.</b> {@code RATE r} keeps at most {@code floor(r * n)} of the context's {@code n}
 * tokens, {@code TOKENS k} at most {@code k}; both take units in order of self-information
 * (highest first), skipping any that no longer fit (so smaller units fill what is left), then check
 * the count by re-encoding the compressed text: units are dropped (lowest first) while it is over,
 * and added back while one still fits. {@code THRESHOLD v} keeps the units whose self-information
 * per token is at least {@code v} nats.
 *
 * <p><b>Output.</b> Kept units that follow one another (whitespace between them aside) form one kept
 * span, keeping the original spacing; the compressed text joins kept spans with single spaces. Runs
 * of dropped units form the dropped spans. Each word of the tokenizer gets a {@link WordScore} whose
 * score is its self-information and which counts as kept when all its tokens are.
 */
final class SelfInformationCompressor implements Compressor {

    /** Self-information given to a token the model gives probability 0 (or an infinite log-probability). */
    static final double MAX_INFORMATION = 100;

    /** The most re-encodings one compression spends on correcting its token count. */
    private static final int MAX_ADJUSTMENTS = 64;

    private final LanguageModel model;
    private final String unit;
    private final int maxBatch;
    private final int contextWindow;
    private final String modelName;

    SelfInformationCompressor(LanguageModel model, SelfInformationConfig config) throws ConfigException {
        this.model = model;
        this.modelName = config.model();
        this.unit = SelfInformationUnits.parse(config.unit());
        if (config.maxBatch() < 1) {
            throw new ConfigException("max-batch", "max-batch must be at least 1, got " + config.maxBatch());
        }
        this.maxBatch = config.maxBatch();
        int positions = model.info().maxPositions();
        if (positions < 2) {
            throw new ConfigException("model", "model '" + config.model() + "' reads " + positions
                    + " position(s); self-information needs at least 2");
        }
        if (config.contextWindow() == null) {
            this.contextWindow = positions / 4;
        } else if (config.contextWindow() < 0 || config.contextWindow() >= positions) {
            throw new ConfigException("context-window", "context-window must be between 0 and " + (positions - 1)
                    + " (model '" + config.model() + "' reads " + positions + " positions), got "
                    + config.contextWindow() + "; leave it out for a quarter of the model's positions");
        } else {
            this.contextWindow = config.contextWindow();
        }
    }

    @Override
    public Compression compress(CompressionRequest request) throws SextantException {
        String text = request.context();
        RunLimits limits = request.limits();
        if (text.isBlank()) {
            throw new InputException("the context is empty; there is nothing to compress");
        }
        Encoding encoding = model.tokenizer().encode(text, false);
        int n = encoding.size();
        if (n == 0) {
            throw new InputException("the context encodes to no tokens for model '" + model.info().name() + "'");
        }
        limits.checkInputLength("the context", n);
        Scored scored = selfInformation(encoding.ids(), limits);
        double[] information = scored.information;
        List<Unit> units = SelfInformationUnits.split(unit, text, encoding);
        double[] scores = new double[units.size()];
        for (Unit u : units) {
            double sum = 0;
            for (int t = u.from(); t < u.to(); t++) {
                sum += information[t];
            }
            scores[u.index()] = sum;
        }
        limits.check();
        Budget budget = request.budget();
        boolean[] kept = new boolean[units.size()];
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", "self-information");
        info.put("unit", unit);
        info.put("model", model.info().name());
        info.put("model_component", modelName);
        info.put("budget", budget.toString());
        info.put("score", "self-information in nats, -ln p(token | preceding tokens); a unit's is the sum over"
                + " its tokens");
        String compressed;
        if (budget.kind() == Budget.Kind.THRESHOLD) {
            for (Unit u : units) {
                kept[u.index()] = !u.blank() && scores[u.index()] / u.tokens() >= budget.value();
            }
            compressed = compressedText(text, units, kept);
        } else {
            int target = budget.kind() == Budget.Kind.RATE
                    ? (int) Math.floor(budget.value() * n + 1e-9)
                    : (int) Math.min(n, (long) budget.value());
            info.put("target_tokens", target);
            compressed = fit(text, units, scores, kept, target, n);
        }
        int compressedTokens = compressed.isEmpty() ? 0 : model.tokenizer().encode(compressed, false).size();
        info.put("conditioning", scored.bos ? "bos" : "none");
        info.put("context_window", contextWindow);
        info.put("chunks", scored.chunks);
        info.put("model_calls", scored.calls);
        if (request.question() != null) {
            info.put("question", "not used: the context is scored alone, as in Selective Context");
        }
        return new Compression(compressed, spans(units, kept, true), spans(units, kept, false),
                words(text, encoding, units, kept, information), n, compressedTokens, info);
    }

    /**
     * Keeps units, highest self-information first, within {@code target} tokens, then corrects the
     * count by re-encoding. Fills {@code kept}; returns the compressed text.
     */
    private String fit(String text, List<Unit> units, double[] scores, boolean[] kept, int target, int n) {
        if (target >= n) {
            Arrays.fill(kept, true);
            return compressedText(text, units, kept);
        }
        List<Unit> order = new ArrayList<>();
        for (Unit u : units) {
            if (!u.blank()) {
                order.add(u);
            }
        }
        // highest score first; equal scores: earlier unit first
        order.sort(Comparator.comparingDouble((Unit u) -> -scores[u.index()]).thenComparingInt(Unit::index));
        int estimate = 0;
        for (Unit u : order) {
            if (estimate + u.tokens() <= target) {
                kept[u.index()] = true;
                estimate += u.tokens();
            }
        }
        String compressed = compressedText(text, units, kept);
        int actual = count(compressed);
        int adjustments = 0;
        // over the budget once re-encoded (joins can tokenize differently): drop the least informative
        for (int i = order.size() - 1; i >= 0 && actual > target && adjustments < MAX_ADJUSTMENTS; i--) {
            Unit u = order.get(i);
            if (kept[u.index()]) {
                kept[u.index()] = false;
                compressed = compressedText(text, units, kept);
                actual = count(compressed);
                adjustments++;
            }
        }
        // room left: add the most informative units that still fit, checking each by re-encoding
        for (Unit u : order) {
            if (adjustments >= MAX_ADJUSTMENTS || actual >= target) {
                break;
            }
            if (!kept[u.index()] && actual + u.tokens() <= target) {
                kept[u.index()] = true;
                String tried = compressedText(text, units, kept);
                int triedCount = count(tried);
                adjustments++;
                if (triedCount <= target) {
                    compressed = tried;
                    actual = triedCount;
                } else {
                    kept[u.index()] = false;
                }
            }
        }
        // a last resort if the adjustments ran out while over: drop whatever is kept, least informative first
        for (int i = order.size() - 1; i >= 0 && actual > target; i--) {
            Unit u = order.get(i);
            if (kept[u.index()]) {
                kept[u.index()] = false;
                compressed = compressedText(text, units, kept);
                actual = count(compressed);
            }
        }
        return compressed;
    }

    private int count(String compressed) {
        return compressed.isEmpty() ? 0 : model.tokenizer().encode(compressed, false).size();
    }

    /** Kept spans joined by single spaces. */
    static String compressedText(String text, List<Unit> units, boolean[] kept) {
        StringBuilder out = new StringBuilder();
        for (Span span : spans(units, kept, true)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(text, span.start(), span.end());
        }
        return out.toString();
    }

    /**
     * Runs of kept (or dropped) units as character spans; units of whitespace only neither start
     * nor break a run.
     */
    static List<Span> spans(List<Unit> units, boolean[] kept, boolean which) {
        List<Span> spans = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (Unit u : units) {
            if (u.blank()) {
                continue;
            }
            if (kept[u.index()] == which) {
                if (start < 0) {
                    start = u.start();
                }
                end = u.end();
            } else if (start >= 0) {
                spans.add(new Span(start, end));
                start = -1;
            }
        }
        if (start >= 0) {
            spans.add(new Span(start, end));
        }
        return spans;
    }

    /** One score per word of the tokenizer: the sum over its tokens; kept when all its tokens are. */
    private static List<WordScore> words(String text, Encoding encoding, List<Unit> units, boolean[] kept,
            double[] information) {
        int n = encoding.size();
        boolean[] tokenKept = new boolean[n];
        for (Unit u : units) {
            for (int t = u.from(); t < u.to(); t++) {
                tokenKept[t] = kept[u.index()];
            }
        }
        List<WordScore> words = new ArrayList<>();
        int[] wordIds = encoding.wordIds();
        int t = 0;
        while (t < n) {
            if (wordIds[t] < 0) {
                t++;
                continue;
            }
            int from = t;
            double sum = 0;
            boolean all = true;
            while (t < n && (wordIds[t] == wordIds[from] || wordIds[t] < 0)) {
                sum += information[t];
                all &= tokenKept[t];
                t++;
            }
            int[] span = SelfInformationUnits.span(text, encoding, from, t);
            if (span[0] < span[1]) {
                words.add(new WordScore(text.substring(span[0], span[1]), new Span(span[0], span[1]), sum, all));
            }
        }
        return words;
    }

    /** Per-token self-information and how it was computed. */
    private record Scored(double[] information, boolean bos, int chunks, int calls) {
    }

    /**
     * Self-information of every token, from chunks of at most the model's positions (and the limit
     * on input tokens), each after the first conditioned on up to {@code context-window} tokens
     * before it.
     */
    private Scored selfInformation(int[] ids, RunLimits limits) throws SextantException {
        int n = ids.length;
        int capacity = Math.min(model.info().maxPositions(), limits.maxInputTokens());
        int bosId = model.info().bosTokenId();
        boolean bos = bosId >= 0 && capacity >= 2;
        int window = contextWindow < capacity ? contextWindow : capacity / 2;
        List<int[]> sequences = new ArrayList<>();
        List<int[]> plans = new ArrayList<>(); // {first scored token, end, offset of that token in the sequence}
        for (int from = 0; from < n; ) {
            int carry = from == 0 ? 0 : Math.min(window, from);
            int prefix = from == 0 && bos ? 1 : 0;
            int to = Math.min(n, from + capacity - carry - prefix);
            int[] sequence = new int[prefix + carry + (to - from)];
            if (prefix == 1) {
                sequence[0] = bosId;
            }
            System.arraycopy(ids, from - carry, sequence, prefix, carry + (to - from));
            sequences.add(sequence);
            plans.add(new int[] {from, to, prefix + carry});
            from = to;
        }
        double[] information = new double[n];
        Arrays.fill(information, Double.NaN);
        int calls = 0;
        for (int b = 0; b < sequences.size(); b += maxBatch) {
            limits.check();
            int e = Math.min(sequences.size(), b + maxBatch);
            float[][] logProbabilities = model.logProbabilities(sequences.subList(b, e), limits);
            calls++;
            for (int s = b; s < e; s++) {
                int[] plan = plans.get(s);
                float[] lp = logProbabilities[s - b];
                for (int t = plan[0]; t < plan[1]; t++) {
                    int position = plan[2] + t - plan[0];
                    if (position > 0) {
                        double value = -lp[position];
                        information[t] = Double.isNaN(value) ? Double.NaN : Math.min(MAX_INFORMATION, value);
                    }
                }
            }
        }
        // tokens with nothing before them (the first, without BOS): the mean of the others
        double sum = 0;
        int scored = 0;
        for (double v : information) {
            if (!Double.isNaN(v)) {
                sum += v;
                scored++;
            }
        }
        double mean = scored == 0 ? 0 : sum / scored;
        for (int t = 0; t < n; t++) {
            if (Double.isNaN(information[t])) {
                information[t] = mean;
            }
        }
        return new Scored(information, bos, sequences.size(), calls);
    }
}
