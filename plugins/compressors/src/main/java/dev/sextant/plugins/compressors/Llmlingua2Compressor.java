package dev.sextant.plugins.compressors;

import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.Span;
import dev.sextant.spi.compress.WordScore;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.TokenClassifier;
import dev.sextant.spi.model.TokenLabels;
import dev.sextant.spi.model.TokenRange;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code llmlingua2} compressor (Pan et al. 2024, "LLMLingua-2"): a token classifier gives every
 * token a keep probability, tokens merge into the tokenizer's words, and whole words are kept, best
 * first, to the budget.
 *
 * <p>Per request: encode the context once (its token count is the original size), split it into chunks
 * that fit the classifier at sentence boundaries, classify all chunks in one batched call, merge tokens
 * into words, choose words for the budget, join them, and encode the result once to count it; if that
 * count misses a RATE or TOKENS target, words are dropped (over) or added (under) and the result
 * counted again (at most six times; the closest result is kept, never one over a TOKENS target). Everything but the classifier call is linear (one
 * sort), so the forward pass dominates. LLMLingua-2 scores the context alone; with {@code relevance} set,
 * sentences are also ranked against the question ({@link Llmlingua2Relevance}) and a word's priority
 * under a RATE or TOKENS budget is its score x (1 + weight x its sentence's relevance).
 * Stateless between requests, so thread-safe.
 */
final class Llmlingua2Compressor implements Compressor {

    /** The most times the output is adjusted and counted again to meet a RATE or TOKENS target. */
    private static final int MAX_RECOUNTS = 6;

    private final TokenClassifier classifier;
    private final Llmlingua2Config config;
    private final Llmlingua2WordMerger merger;
    private final Llmlingua2Joiner joiner;
    private final Llmlingua2Chunker chunker;

    private final Llmlingua2Relevance relevance;

    private final String method;

    /**
     * @param method the component type, as results name it
     * @param relevance the question ranker, or null for LLMLingua-2 as published
     */
    Llmlingua2Compressor(String method, TokenClassifier classifier, int keepIndex, Llmlingua2Config config,
            Llmlingua2Relevance relevance) {
        this.classifier = classifier;
        this.relevance = relevance;
        this.method = method;
        this.config = config;
        this.merger = new Llmlingua2WordMerger(keepIndex, "first".equals(config.wordScore()), config.forceTokens(),
                config.keepDigits());
        this.joiner = new Llmlingua2Joiner(config.forceTokens(), config.dropRepeatedForceTokens());
        this.chunker = new Llmlingua2Chunker(classifier.tokenizer(), classifier.maxLength());
    }

    @Override
    public Compression compress(CompressionRequest request) throws SextantException {
        long started = System.nanoTime();
        RunLimits limits = request.limits();
        limits.check();
        String context = request.context();
        Budget budget = request.budget();
        Tokenizer tokenizer = classifier.tokenizer();
        Encoding contextEncoding = tokenizer.encode(context, false);
        int originalTokens = contextEncoding.size();
        limits.checkInputLength("the context", originalTokens);
        List<String> warnings = new ArrayList<>();

        Llmlingua2Json json = null;
        if ("json".equals(config.structure())) {
            String[] why = new String[1];
            Optional<Llmlingua2Json> parsed = Llmlingua2Json.parse(context, why);
            if (parsed.isPresent()) {
                json = parsed.get();
            } else {
                warnings.add("structure: json: compressed the context as plain text because " + why[0]);
            }
        }
        String text = json != null ? json.joined() : context;
        Encoding textEncoding = json != null ? tokenizer.encode(text, false) : contextEncoding;
        int segments = json != null ? json.values().size() : 1;
        int[] segmentStart = new int[segments];
        int[] segmentEnd = new int[segments];
        for (int k = 0; k < segments; k++) {
            segmentStart[k] = json != null ? json.values().get(k).joinedStart() : 0;
            segmentEnd[k] = json != null ? json.values().get(k).joinedEnd() : text.length();
        }

        Llmlingua2Chunker.Result split = chunker.split(text, textEncoding, false);
        limits.check();
        long forwardStarted = System.nanoTime();
        List<TokenLabels> labels;
        try {
            // The chunks as token ranges of the one encoding: a classifier that runs ids directly (the
            // ONNX one) tokenizes nothing again, and every word is scored on the tokens it is counted by.
            labels = split.chunks().isEmpty() ? List.of() : classifier.classify(text, textEncoding, ranges(split), limits);
        } catch (InputException e) {
            // A classifier that re-encodes the chunks' text found one longer than its first word
            // predicted (an unusual tokenizer): check every chunk whole and classify once more.
            split = chunker.split(text, textEncoding, true);
            warnings.add("a chunk did not fit the classifier (" + e.getMessage() + "); re-split and classified"
                    + " again");
            labels = classifier.classify(text, textEncoding, ranges(split), limits);
        }
        long forwardNanos = System.nanoTime() - forwardStarted;
        warnings.addAll(split.warnings());
        if (labels.size() != split.chunks().size()) {
            throw new ModelException("model '" + classifier.info().name() + "' returned " + labels.size()
                    + " classifications for " + split.chunks().size() + " chunks");
        }
        limits.check();

        Llmlingua2Words words = new Llmlingua2Words();
        for (int c = 0; c < labels.size(); c++) {
            merger.addChunk(text, 0, labels.get(c), words); // offsets are already in the text
        }
        long forcedWhitespace = words.countTokens(text, textEncoding, config.forceTokens());
        int[] segmentWords = assignSegments(words, segmentEnd);

        float[] priority = words.score;
        long relevanceNanos = 0;
        boolean questionAware = relevance != null && config.relevanceWeight() > 0 && request.question() != null
                && !request.question().isBlank() && budget.kind() != Budget.Kind.THRESHOLD;
        if (questionAware) {
            long relevanceStarted = System.nanoTime();
            float[] wordRelevance = relevance.words(text, words, request.question(), limits);
            priority = new float[words.size];
            float weight = (float) config.relevanceWeight();
            for (int i = 0; i < words.size; i++) {
                priority[i] = words.score[i] * (1 + weight * wordRelevance[i]);
            }
            relevanceNanos = System.nanoTime() - relevanceStarted;
        } else if (relevance != null && budget.kind() != Budget.Kind.THRESHOLD) {
            warnings.add("relevance: " + relevance.method() + " had no question to rank against; the context alone"
                    + " decided");
        }
        Llmlingua2BudgetSelector selector = new Llmlingua2BudgetSelector(words, priority);
        long target = Llmlingua2BudgetSelector.target(budget, originalTokens);
        // Paid whatever is chosen: kept line breaks (with "\n" forced), and for JSON the structure.
        long fixedCost = json != null ? Math.max(forcedWhitespace, originalTokens - words.totalCost()) : forcedWhitespace;
        boolean[] kept = selector.select(budget, target, fixedCost, json != null, warnings);
        boolean counted = budget.kind() != Budget.Kind.THRESHOLD
                && !(budget.kind() == Budget.Kind.RATE && budget.value() >= 1);
        Rendered rendered = render(context, text, json, words, kept, segmentStart, segmentEnd, segmentWords);
        int compressedTokens = tokenizer.count(rendered.text);
        if (counted && compressedTokens != target) {
            // The joined text's own count differs from the words' summed costs (a first word spelt without
            // its leading space, a collapsed separator): drop the lowest-scoring words while over the
            // target, add the best remaining ones that fit while under it (never one dropped before), and
            // keep the closest result. A TOKENS budget is a ceiling, so only results at or under it count
            // there. A RATE is a share to meet: results are compared with the exact rate x original
            // tokens, and when no dropped word fits the shortfall the cheapest one is added anyway, since
            // overshooting by half a token is nearer than falling one and a half short.
            boolean ceiling = budget.kind() == Budget.Kind.TOKENS;
            double goal = ceiling ? target : budget.value() * originalTokens;
            Rendered best = null;
            int bestTokens = 0;
            boolean[] bestKept = kept;
            boolean[] banned = new boolean[words.size];
            for (int round = 0; ; round++) {
                if (closer(compressedTokens, best == null ? -1 : bestTokens, goal, ceiling)) {
                    best = rendered;
                    bestTokens = compressedTokens;
                    bestKept = kept.clone();
                }
                // Done at the target, or for a rate at the whole count nearest the exact share.
                if (round == MAX_RECOUNTS || compressedTokens == target
                        || (!ceiling && Math.abs(compressedTokens - goal) <= 0.5)) {
                    break;
                }
                boolean changed = compressedTokens > target
                        ? selector.dropLowest(kept, compressedTokens - target, banned)
                        : selector.addBest(kept, target - compressedTokens, banned)
                                || (!ceiling && selector.addCheapest(kept, banned));
                if (!changed) {
                    break;
                }
                rendered = render(context, text, json, words, kept, segmentStart, segmentEnd, segmentWords);
                compressedTokens = tokenizer.count(rendered.text);
            }
            if (best != null) {
                rendered = best;
                compressedTokens = bestTokens;
                kept = bestKept;
            } else if (warnings.stream().noneMatch(w -> w.startsWith("the budget"))) {
                warnings.add("kept " + compressedTokens + " tokens, above the target of " + target);
            }
        }

        List<WordScore> scores = new ArrayList<>(words.size);
        for (int i = 0; i < words.size; i++) {
            int k = segmentOf(segmentWords, i);
            int s = json != null ? json.values().get(k).toRaw(words.start[i]) : words.start[i];
            int e = json != null ? json.values().get(k).toRaw(words.end[i]) : words.end[i];
            scores.add(new WordScore(context.substring(s, e), new Span(s, e), words.score[i], kept[i]));
        }

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", method);
        info.put("model", String.valueOf(classifier.info().name()));
        info.put("keep_label", config.keepLabel());
        info.put("budget", budget.toString());
        if (budget.kind() != Budget.Kind.THRESHOLD) {
            info.put("target_tokens", target);
        }
        info.put("word_score", config.wordScore());
        info.put("force_tokens", config.forceTokens());
        info.put("keep_digits", config.keepDigits());
        info.put("drop_repeated_force_tokens", config.dropRepeatedForceTokens());
        info.put("structure", json != null ? "json" : "none");
        info.put("relevance", questionAware ? relevance.method() : "none");
        if (questionAware) {
            info.put("relevance_weight", config.relevanceWeight());
            info.put("relevance_ms", millis(relevanceNanos));
        }
        info.put("chunks", split.chunks().size());
        info.put("words", words.size);
        info.put("forward_ms", millis(forwardNanos));
        info.put("total_ms", millis(System.nanoTime() - started));
        info.put("warnings", List.copyOf(warnings));
        return new Compression(rendered.text, rendered.kept, rendered.dropped, scores, originalTokens,
                compressedTokens, info);
    }

    /**
     * Whether a result of {@code tokens} is better than the best so far ({@code best}, or -1 for none):
     * nearer the goal, the smaller on a tie; with a ceiling, never one over it.
     */
    static boolean closer(long tokens, long best, double goal, boolean ceiling) {
        if (ceiling && tokens > goal) {
            return false;
        }
        if (best < 0) {
            return true;
        }
        double distance = Math.abs(tokens - goal);
        double bestDistance = Math.abs(best - goal);
        return distance < bestDistance || (distance == bestDistance && tokens < best);
    }

    private static List<TokenRange> ranges(Llmlingua2Chunker.Result split) {
        List<TokenRange> ranges = new ArrayList<>(split.chunks().size());
        for (Llmlingua2Chunker.Chunk chunk : split.chunks()) {
            ranges.add(new TokenRange(chunk.tokenFrom(), chunk.tokenTo()));
        }
        return ranges;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** For each segment, the index of its first word; one more entry for the end. */
    private static int[] assignSegments(Llmlingua2Words words, int[] segmentEnd) {
        int segments = segmentEnd.length;
        int[] first = new int[segments + 1];
        int k = 0;
        for (int i = 0; i < words.size; i++) {
            while (k < segments - 1 && words.start[i] >= segmentEnd[k]) {
                k++;
                first[k] = i;
            }
            if (segments > 0 && words.end[i] > segmentEnd[k]) {
                words.end[i] = segmentEnd[k];
                words.suffixStart[i] = Math.min(words.suffixStart[i], segmentEnd[k]);
                words.prefixEnd[i] = Math.min(words.prefixEnd[i], words.suffixStart[i]);
            }
        }
        while (k < segments - 1) {
            k++;
            first[k] = words.size;
        }
        first[segments] = words.size;
        return first;
    }

    private static int segmentOf(int[] segmentWords, int word) {
        int k = Arrays.binarySearch(segmentWords, 0, segmentWords.length - 1, word);
        if (k < 0) {
            return -k - 2;
        }
        while (k + 1 < segmentWords.length - 1 && segmentWords[k + 1] == word) {
            k++; // empty segments share a first word: the word belongs to the last of them
        }
        return k;
    }

    private record Rendered(String text, List<Span> kept, List<Span> dropped) {
    }

    private Rendered render(String context, String text, Llmlingua2Json json, Llmlingua2Words words, boolean[] kept,
            int[] segmentStart, int[] segmentEnd, int[] segmentWords) {
        Llmlingua2Joiner.Spans spans = new Llmlingua2Joiner.Spans();
        List<String> outputs = new ArrayList<>(segmentStart.length);
        for (int k = 0; k < segmentStart.length; k++) {
            int keptFrom = spans.keptSize;
            int droppedFrom = spans.droppedSize;
            outputs.add(joiner.join(text, words, kept, segmentStart[k], segmentEnd[k], segmentWords[k],
                    segmentWords[k + 1], spans));
            if (json != null) {
                Llmlingua2Json.Value value = json.values().get(k);
                for (int j = keptFrom; j < spans.keptSize; j++) {
                    spans.kept[j] = value.toRaw(spans.kept[j]);
                }
                for (int j = droppedFrom; j < spans.droppedSize; j++) {
                    spans.dropped[j] = value.toRaw(spans.dropped[j]);
                }
            }
        }
        String out = json != null ? json.write(outputs) : outputs.get(0);
        int[] keptPairs = Arrays.copyOf(spans.kept, spans.keptSize);
        if (json != null) {
            int[] structure = json.structure();
            int[] all = Arrays.copyOf(keptPairs, keptPairs.length + structure.length);
            System.arraycopy(structure, 0, all, keptPairs.length, structure.length);
            keptPairs = all;
        }
        return new Rendered(out, merged(keptPairs), merged(Arrays.copyOf(spans.dropped, spans.droppedSize)));
    }

    /** Start/end pairs as spans, sorted, touching or overlapping ones merged. */
    private static List<Span> merged(int[] pairs) {
        int n = pairs.length / 2;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) pairs[2 * i] << 32) | pairs[2 * i + 1];
        }
        Arrays.sort(keys);
        List<Span> spans = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (long key : keys) {
            int s = (int) (key >>> 32);
            int e = (int) key;
            if (e <= s) {
                continue;
            }
            if (start >= 0 && s <= end) {
                end = Math.max(end, e);
            } else {
                if (start >= 0) {
                    spans.add(new Span(start, end));
                }
                start = s;
                end = e;
            }
        }
        if (start >= 0) {
            spans.add(new Span(start, end));
        }
        return spans;
    }
}
