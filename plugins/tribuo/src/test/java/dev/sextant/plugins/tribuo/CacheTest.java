package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.Progress;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.model.Embeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {

    @TempDir
    Path dir;

    private static final List<String> QUERIES = List.of("my invoice was overcharged", "the app crashes at login",
            "where is my parcel, tracking says shipped");

    @Test
    void aSecondHeadWithTheSameConfigLoadsFromTheCacheWithoutEmbedding() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        TribuoHead first = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder);
        HeadTraining trained = first.train(false, Progress.NONE);
        assertThat(encoder.texts.get()).isEqualTo(150);
        assertThat(encoder.calls.get()).isEqualTo(3); // 64 + 64 + 22 texts
        Embeddings queries = Fixtures.embeddings(encoder, QUERIES);
        List<Prediction> expected = first.predict(queries);

        // Another head (say after a restart): the same key, loaded at create time, nothing embedded.
        EmbeddingCache.clearMemory();
        TribuoHead second = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder);
        assertThat(second.isTrained()).as("loaded by create()").isTrue();
        HeadTraining loaded = second.train(false, Progress.NONE);
        assertThat(loaded.fromCache()).isTrue();
        assertThat(loaded.cacheKey()).isEqualTo(trained.cacheKey());
        assertThat(loaded.rows()).isEqualTo(trained.rows());
        assertThat(loaded.provenance()).isEqualTo(trained.provenance());
        assertThat(second.predict(queries)).isEqualTo(expected);
        assertThat(second.trainings()).isZero();
        assertThat(encoder.calls.get()).isEqualTo(3);
    }

    @Test
    void changingASettingOrTheDataChangesTheKeyAndRetrains() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        TribuoHead base = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder);
        String key = base.train(false, Progress.NONE).cacheKey();

        TribuoHead moreEpochs = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC).epochs(20),
                encoder);
        assertThat(moreEpochs.spec().cacheKey()).isNotEqualTo(key);
        assertThat(moreEpochs.isTrained()).isFalse();
        assertThat(moreEpochs.train(false, Progress.NONE).fromCache()).isFalse();

        // A setting the trainer does not read (cost is liblinear's) and the serving runtime keep the key.
        HeadConfig otherCost = HeadConfig.classification(TrainerKind.LOGISTIC);
        otherCost.cost = 5;
        assertThat(fixtures.create("topic", otherCost, encoder).spec().cacheKey()).isEqualTo(key);
        HeadConfig otherLabel = HeadConfig.classification(TrainerKind.LOGISTIC);
        otherLabel.seed = 7;
        assertThat(fixtures.create("topic", otherLabel, encoder).spec().cacheKey()).isNotEqualTo(key);

        Path changed = fixtures.folder.resolve("tickets-more.csv");
        Files.copy(fixtures.folder.resolve("tickets.csv"), changed);
        Files.writeString(changed, "151,My invoice shows a double charge.,billing,,2.1\n", StandardOpenOption.APPEND);
        TribuoHead moreData = fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("tickets-more.csv"), encoder);
        assertThat(moreData.spec().cacheKey()).isNotEqualTo(key);
        assertThat(moreData.isTrained()).isFalse();
        HeadTraining training = moreData.train(false, Progress.NONE);
        assertThat(training.fromCache()).isFalse();
        assertThat(training.rows()).isEqualTo(121);

        // Another encoder identity (its provenance) is another key as well.
        assertThat(fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), HashedEncoder.fresh())
                .spec().cacheKey()).isNotEqualTo(key);
    }

    @Test
    void retrainTrainsEvenWhenCached() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder).train(false, Progress.NONE);
        TribuoHead head = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder);
        assertThat(head.isTrained()).isTrue();
        HeadTraining retrained = head.train(true, Progress.NONE);
        assertThat(retrained.fromCache()).isFalse();
        assertThat(head.trainings()).isEqualTo(1);
        assertThat(head.train(false, Progress.NONE)).isSameAs(retrained);
        // The replaced folder is gone and no temporary folder is left behind.
        try (Stream<Path> models = Files.list(fixtures.cache.resolve("models"))) {
            assertThat(models.map(p -> p.getFileName().toString())).containsExactly(retrained.cacheKey());
        }
        assertThat(ModelCache.folder(fixtures.cache, retrained.cacheKey())).isDirectoryContaining(
                p -> p.getFileName().toString().equals(ModelCache.MODEL_FILE));
    }

    @Test
    void headsOnTheSameDataShareEmbeddingsInMemoryAndOnDisk() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder).train(false, Progress.NONE);
        assertThat(encoder.texts.get()).isEqualTo(150);
        fixtures.create("urgency", HeadConfig.regression(TrainerKind.LINEAR_SGD), encoder)
                .train(false, Progress.NONE);
        fixtures.create("tags", HeadConfig.multiLabel(TrainerKind.LOGISTIC), encoder).train(false, Progress.NONE);
        assertThat(encoder.texts.get()).as("one embedding pass for three heads").isEqualTo(150);

        EmbeddingCache.clearMemory(); // a second start: the disk copy serves
        fixtures.create("topic-sgd", HeadConfig.classification(TrainerKind.LINEAR_SGD), encoder)
                .train(false, Progress.NONE);
        assertThat(encoder.texts.get()).isEqualTo(150);
        try (Stream<Path> files = Files.list(fixtures.cache.resolve("embeddings"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement().asString().endsWith(".f32");
        }
    }

    @Test
    void concurrentHeadsEmbedASharedFileOnce() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        List<TribuoHead> heads = List.of(
                fixtures.create("a", HeadConfig.classification(TrainerKind.LOGISTIC), encoder),
                fixtures.create("b", HeadConfig.classification(TrainerKind.LINEAR_SGD), encoder),
                fixtures.create("c", HeadConfig.regression(TrainerKind.LINEAR_SGD), encoder),
                fixtures.create("d", HeadConfig.multiLabel(TrainerKind.LINEAR_SGD), encoder));
        heads.parallelStream().forEach(h -> {
            try {
                h.train(false, Progress.NONE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(encoder.texts.get()).isEqualTo(150);
    }

    @Test
    void anUnreadableCachedModelIsTrainedAgain() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        String key = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder)
                .train(false, Progress.NONE).cacheKey();
        Files.write(ModelCache.folder(fixtures.cache, key).resolve(ModelCache.MODEL_FILE), new byte[] {1, 2, 3});
        TribuoHead head = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder);
        assertThat(head.isTrained()).isFalse();
        assertThat(head.train(false, Progress.NONE).fromCache()).isFalse();
        assertThat(fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder).isTrained())
                .isTrue();
    }
}
