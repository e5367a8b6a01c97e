package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Selection;
import dev.sextant.spi.compress.SelectionRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipFitSelectorTest {

    private static final List<String> KINDS = List.of("copyedit", "json", "labels", "facts");
    private static final int PER_KIND = 40;

    /** Per kind of text: 20 targets (items 0-19) and 40 candidates (items 100-139). */
    private static List<List<String>> targets;
    private static List<String> candidates;
    private static List<String> kindOf;

    @BeforeAll
    static void corpus() {
        targets = new ArrayList<>();
        List<List<String>> prompts = new ArrayList<>();
        for (String kind : KINDS) {
            prompts.add(EvalCorpus.field(kind, "prompt"));
            targets.add(prompts.get(prompts.size() - 1).subList(0, 20));
        }
        // kinds interleaved, so that index order says nothing about kind
        candidates = new ArrayList<>();
        kindOf = new ArrayList<>();
        for (int i = 0; i < PER_KIND; i++) {
            for (int k = 0; k < KINDS.size(); k++) {
                candidates.add(prompts.get(k).get(100 + i));
                kindOf.add(KINDS.get(k));
            }
        }
    }

    static ZipFitConfig config(String codec, Integer topK, Double threshold, Integer threads, int cache) {
        return new ZipFitConfig(codec, null, topK, threshold, threads, cache);
    }

    /**
     * Precision@40 for targets of each kind among 160 candidates of four kinds. Measured: gzip 0.85
     * (copyedit, whose short story sentences resemble labels' texts) to 1.0, mean 0.96; zstd 0.725
     * to 1.0, mean 0.90 (zstd's frames cost more on texts of a hundred bytes).
     */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void targetsOfOneKindRankCandidatesOfTheSameKindFirst(String codec) throws SextantException {
        double sum = 0;
        try (ZipFitSelector selector = new ZipFitSelector(config(codec, null, null, 2, 16))) {
            for (int k = 0; k < KINDS.size(); k++) {
                String kind = KINDS.get(k);
                Selection selection = selector.select(new SelectionRequest(targets.get(k), candidates, PER_KIND,
                        null, null));
                assertThat(selection.selected()).hasSize(PER_KIND);
                long sameKind = selection.selected().stream().filter(s -> kindOf.get(s.index()).equals(kind)).count();
                double precision = sameKind / (double) PER_KIND;
                sum += precision;
                assertThat(precision).as("precision@%d of %s targets with %s", PER_KIND, kind, codec)
                        .isGreaterThanOrEqualTo(0.7);
                // the top 10 are all of the targets' kind
                assertThat(selection.selected().subList(0, 10))
                        .allSatisfy(s -> assertThat(kindOf.get(s.index())).isEqualTo(kind));
            }
        }
        assertThat(sum / KINDS.size()).as("mean precision@%d with %s", PER_KIND, codec)
                .isGreaterThanOrEqualTo(codec.equals("gzip") ? 0.9 : 0.85);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void resultsAreTheSameForAnyThreadCount(String codec) throws SextantException {
        List<String> mixed = new ArrayList<>(targets.get(0).subList(0, 5));
        mixed.addAll(targets.get(2).subList(0, 5));
        try (ZipFitSelector one = new ZipFitSelector(config(codec, null, null, 1, 0));
                ZipFitSelector four = new ZipFitSelector(config(codec, null, null, 4, 0))) {
            double[] a = one.scores(mixed, candidates, null);
            double[] b = four.scores(mixed, candidates, null);
            assertThat(b).containsExactly(a);
            SelectionRequest request = new SelectionRequest(mixed, candidates, 25, null, null);
            assertThat(four.select(request)).isEqualTo(one.select(request));
        }
    }

    @Test
    void scoresAreBestFirstWithTiesBrokenByIndex() throws SextantException {
        String story = "mia lives in oslo . mia has a small red car .";
        List<String> pool = List.of("{\"a\": 1}", story, "the weather is cold", story, "mia lives in oslo .", story);
        try (ZipFitSelector selector = new ZipFitSelector(config("gzip", null, null, 3, 4))) {
            Selection selection = selector.select(new SelectionRequest(List.of(story), pool, null, null, null));
            assertThat(selection.scored()).isEqualTo(6);
            assertThat(selection.selected()).extracting(Selection.Selected::index).startsWith(1, 3, 5, 4);
            for (int i = 1; i < selection.selected().size(); i++) {
                assertThat(selection.selected().get(i).score()).isLessThanOrEqualTo(selection.selected().get(i - 1)
                        .score());
            }
            assertThat(selection.info()).containsEntry("method", "zipfit").containsEntry("codec", "gzip")
                    .containsEntry("level", 9).containsEntry("targets", 1).containsEntry("scored", 6);
        }
    }

    @Test
    void topKAndThresholdFromTheRequestOrElseFromConfig() throws SextantException {
        List<String> t = targets.get(1);
        try (ZipFitSelector selector = new ZipFitSelector(config("gzip", 7, null, 2, 4));
                ZipFitSelector thresholded = new ZipFitSelector(config("gzip", null, 0.3, 2, 4))) {
            double[] scores = selector.scores(t, candidates, null);
            assertThat(selector.select(new SelectionRequest(t, candidates, null, null, null)).selected()).hasSize(7);
            assertThat(selector.select(new SelectionRequest(t, candidates, 3, null, null)).selected()).hasSize(3);
            long above = java.util.Arrays.stream(scores).filter(s -> s >= 0.3).count();
            assertThat(above).isBetween(1L, (long) candidates.size() - 1);
            Selection byConfig = thresholded.select(new SelectionRequest(t, candidates, null, null, null));
            assertThat(byConfig.selected()).hasSize((int) above).allSatisfy(s -> assertThat(s.score())
                    .isGreaterThanOrEqualTo(0.3));
            assertThat(byConfig.info()).containsEntry("threshold", 0.3);
            Selection both = thresholded.select(new SelectionRequest(t, candidates, 2, 0.1, null));
            assertThat(both.selected()).hasSize(2);
            assertThat(both.scored()).isEqualTo(candidates.size());
            Selection none = selector.select(new SelectionRequest(t, candidates, null, 2.0, null));
            assertThat(none.selected()).isEmpty();
        }
    }

    @Test
    void emptyTargetsOrCandidatesAreInputErrors() throws ConfigException {
        try (ZipFitSelector selector = new ZipFitSelector(config("gzip", null, null, 1, 4))) {
            assertThatThrownBy(() -> selector.select(new SelectionRequest(List.of(), candidates, null, null, null)))
                    .isInstanceOf(InputException.class).hasMessageContaining("at least one target");
            assertThatThrownBy(() -> selector.select(new SelectionRequest(List.of("x"), List.of(), null, null, null)))
                    .isInstanceOf(InputException.class).hasMessageContaining("at least one candidate");
            assertThatThrownBy(() -> selector.select(new SelectionRequest(List.of("x"), List.of("a", ""), null, null,
                    null))).isInstanceOf(InputException.class).hasMessageContaining("candidate 1");
        }
    }

    @Test
    void sizesOfTargetAndCandidateListsAreReusedAcrossRequests() throws SextantException {
        try (ZipFitSelector cached = new ZipFitSelector(config("gzip", null, null, 2, 2));
                ZipFitSelector uncached = new ZipFitSelector(config("gzip", null, null, 2, 0))) {
            List<String> some = candidates.subList(0, 40);
            double[] first = cached.scores(targets.get(0), some, null);
            assertThat(cached.sizeCacheHits()).isZero();
            // equal contents in new lists: both lists hit
            double[] again = cached.scores(new ArrayList<>(targets.get(0)), new ArrayList<>(some), null);
            assertThat(cached.sizeCacheHits()).isEqualTo(2);
            assertThat(again).containsExactly(first);
            // the host's select step: a new prompt each time, one fixed corpus
            double[] other = cached.scores(targets.get(1), some, null);
            assertThat(cached.sizeCacheHits()).isEqualTo(3);
            assertThat(other).containsExactly(uncached.scores(targets.get(1), some, null));
            cached.scores(targets.get(2), candidates.subList(40, 50), null);
            // capacity 2: the last two lists stay, targets.get(0) has gone
            cached.scores(targets.get(0), candidates.subList(40, 50), null);
            assertThat(cached.sizeCacheHits()).isEqualTo(4);
            assertThat(uncached.scores(targets.get(0), some, null)).containsExactly(first);
            uncached.scores(targets.get(0), some, null);
            assertThat(uncached.sizeCacheHits()).isZero();
        }
    }

    @Test
    void aPassedDeadlineStopsScoring() throws ConfigException {
        RunLimits past = RunLimits.DEFAULT.withDeadline(Instant.now().minusSeconds(1));
        try (ZipFitSelector one = new ZipFitSelector(config("gzip", null, null, 1, 0));
                ZipFitSelector four = new ZipFitSelector(config("zstd", null, null, 4, 0))) {
            assertThatThrownBy(() -> one.select(new SelectionRequest(targets.get(0), candidates, null, null, past)))
                    .isInstanceOf(CancelledException.class);
            assertThatThrownBy(() -> four.scores(targets.get(0), candidates, RunLimits.DEFAULT.withCancellation(
                    () -> true))).isInstanceOf(CancelledException.class);
        }
    }

    @Test
    void configErrorsNameTheirOption() {
        assertThatThrownBy(() -> new ZipFitSelector(config("lz4", null, null, null, 4)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("codec"));
        assertThatThrownBy(() -> new ZipFitSelector(new ZipFitConfig("gzip", 12, null, null, null, 4)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("level"));
        assertThatThrownBy(() -> new ZipFitSelector(config("gzip", 0, null, null, 4)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("top-k"));
        assertThatThrownBy(() -> new ZipFitSelector(config("gzip", null, null, 0, 4)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("threads"));
        assertThatThrownBy(() -> new ZipFitSelector(config("gzip", null, Double.NaN, null, 4)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("threshold"));
    }

    @Test
    void threadsDefaultToTheAvailableProcessors() throws ConfigException {
        try (ZipFitSelector selector = new ZipFitSelector(config("gzip", null, null, null, 4))) {
            assertThat(selector.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    /** Throughput sanity, not a timing: a few thousand candidates against 100 targets finish with finite scores. */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void scoresThousandsOfCandidatesAgainstAHundredTargets(String codec) throws SextantException {
        List<String> hundred = new ArrayList<>();
        for (String kind : KINDS) {
            hundred.addAll(EvalCorpus.field(kind, "prompt").subList(200, 225));
        }
        List<String> many = new ArrayList<>();
        for (String kind : List.of("copyedit", "json", "labels", "facts", "recall", "extract", "compression")) {
            many.addAll(EvalCorpus.field(kind, "prompt"));
        }
        try (ZipFitSelector selector = new ZipFitSelector(config(codec, 50, null, null, 4))) {
            long start = System.nanoTime();
            Selection selection = selector.select(new SelectionRequest(hundred, many, null, null, null));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(selection.scored()).isEqualTo(many.size()).isGreaterThan(2000);
            assertThat(selection.selected()).hasSize(50)
                    .allSatisfy(s -> assertThat(s.score()).isFinite().isBetween(-0.2, 1.0));
            System.out.printf("zipfit %s: %d candidates x %d targets on %d threads in %.2f s (%.0f candidates/s)%n",
                    codec, many.size(), hundred.size(), selector.threads(), seconds, many.size() / seconds);
        }
    }
}
