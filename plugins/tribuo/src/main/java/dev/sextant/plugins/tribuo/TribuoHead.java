package dev.sextant.plugins.tribuo;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.Progress;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.head.TrainableHead;
import dev.sextant.spi.model.Embeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.regression.Regressor;

/**
 * A task head trained with Tribuo on an encoder's pooled vectors. Trains when first needed (an
 * explicit {@link #train}, or the first {@link #predict}), once even when many threads ask at once;
 * a trained model is cached on disk under its key ({@link HeadSpec#cacheKey}).
 *
 * <p>Thread-safe: predictions read an immutable {@link TrainedModel}; training and loading hold one
 * lock per head. A model replaced by {@code train(true, ...)} keeps its ONNX Runtime session until
 * the head is closed, since a concurrent prediction may still be using it.
 */
final class TribuoHead implements TrainableHead, AutoCloseable {

    private static final String ONNX_DOMAIN = "dev.sextant.tribuo";

    private final HeadSpec spec;
    private final Object lock = new Object();
    private final List<TrainedModel> retired = new ArrayList<>();
    private final AtomicInteger trainings = new AtomicInteger();
    private volatile TrainedModel current;
    private volatile boolean closed;

    TribuoHead(HeadSpec spec) {
        this.spec = spec;
    }

    HeadSpec spec() {
        return spec;
    }

    /** How many times this head has trained a model (not counting cache loads); for tests. */
    int trainings() {
        return trainings.get();
    }

    @Override
    public String encoder() {
        return spec.config().encoder();
    }

    @Override
    public HeadTask task() {
        return spec.task();
    }

    @Override
    public boolean isTrained() {
        return current != null;
    }

    /** Loads the cached model for this head's key, if there is one; returns whether it did. */
    boolean loadCached(Progress progress) throws SextantException {
        synchronized (lock) {
            if (current == null) {
                current = fromCache(progress);
            }
            return current != null;
        }
    }

    @Override
    public List<Prediction> predict(Embeddings embeddings) throws SextantException {
        TrainedModel model = trained(Progress.NONE);
        float[][] pooled = embeddings.pooled();
        if (pooled == null) {
            throw new ModelException("head '" + spec.name() + "' reads pooled vectors, but the embeddings have none");
        }
        return model.predict(pooled, spec.name(), encoder());
    }

    @Override
    public HeadTraining train(boolean retrain, Progress progress) throws SextantException {
        synchronized (lock) {
            checkOpen();
            if (!retrain) {
                if (current != null) {
                    return current.training();
                }
                TrainedModel cached = fromCache(progress);
                if (cached != null) {
                    current = cached;
                    return cached.training();
                }
            }
            TrainedModel trained = trainNow(progress);
            if (current != null) {
                retired.add(current);
            }
            current = trained;
            return trained.training();
        }
    }

    @Override
    public HeadEvaluation evaluate(Progress progress) throws SextantException {
        TrainedModel trained = trained(progress);
        String stage = "evaluate " + spec.name();
        List<DataRow> rows;
        float[][] vectors;
        String description;
        String fileKey;
        if (spec.evaluation() != null) {
            fileKey = "evaluation-data";
            rows = readRows(spec.evaluation(), spec.evaluationSha256(), fileKey);
            vectors = vectors(spec.evaluation(), spec.evaluationSha256(), fileKey, rows, progress);
            description = "evaluation file " + spec.evaluation().getFileName() + " (" + rows.size() + " rows)";
        } else {
            fileKey = "data";
            List<DataRow> all = readRows(spec.data(), spec.dataSha256(), fileKey);
            Split split = Split.of(all.size(), spec.config().heldOut(), spec.config().seed());
            if (split.heldOut().isEmpty()) {
                throw new ConfigException("held-out", "head '" + spec.name() + "' has nothing to evaluate on: held-out"
                        + " is 0 and no evaluation-data is given; set held-out (e.g. 0.2) or evaluation-data");
            }
            float[][] allVectors = vectors(spec.data(), spec.dataSha256(), fileKey, all, progress);
            rows = Split.pick(all, split.heldOut());
            vectors = Split.pick(allVectors, split.heldOut());
            description = Evaluations.percent(spec.config().heldOut()) + "% held out of " + spec.data().getFileName()
                    + " (seed " + spec.config().seed() + ", " + rows.size() + " rows)";
        }
        progress.update(stage, 0, rows.size());
        HeadEvaluation evaluation = Evaluations.evaluate(spec, trained, rows, vectors, fileKey, description);
        progress.update(stage, rows.size(), rows.size());
        return evaluation;
    }

    private TrainedModel trained(Progress progress) throws SextantException {
        TrainedModel model = current;
        if (model == null) {
            train(false, progress);
            model = current;
        }
        checkOpen();
        return model;
    }

    private void checkOpen() throws ModelException {
        if (closed) {
            throw new ModelException("head '" + spec.name() + "' is closed (its pipeline file was unloaded)");
        }
    }

    // ---- loading

    private TrainedModel fromCache(Progress progress) throws SextantException {
        long start = System.nanoTime();
        ModelCache.Stored stored = ModelCache.load(spec.cacheDir(), spec.cacheKey());
        if (stored == null || !stored.model().validate(outputClass())) {
            return null;
        }
        String stage = "load " + spec.name() + " from cache";
        progress.update(stage, 0, 1);
        Map<String, Object> record = stored.record();
        int dimension = ((Number) record.get("dimension")).intValue();
        int rows = ((Number) record.get("rows")).intValue();
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = (Map<String, Object>) record.get("provenance");
        OnnxScorer scorer = null;
        if (spec.runtime() == ServingRuntime.ONNX) {
            byte[] onnx = stored.onnx();
            if (onnx == null) {
                onnx = export(stored.model());
                ModelCache.addOnnx(spec.cacheDir(), spec.cacheKey(), onnx);
            }
            scorer = scorer(onnx, stored.model());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        HeadTraining training = new HeadTraining(spec.name(), spec.task(), spec.trainer().yamlName(), rows, true,
                seconds, spec.cacheKey(), spec.runtime().yamlName(), withServing(provenance));
        progress.update(stage, 1, 1);
        return new TrainedModel(spec.task(), stored.model(), scorer, training, dimension, spec.threshold());
    }

    private Class<? extends Output<?>> outputClass() {
        return switch (spec.task()) {
            case CLASSIFICATION -> Label.class;
            case MULTI_LABEL -> MultiLabel.class;
            case REGRESSION -> Regressor.class;
        };
    }

    // ---- training

    private TrainedModel trainNow(Progress progress) throws SextantException {
        long start = System.nanoTime();
        List<DataRow> all = readRows(spec.data(), spec.dataSha256(), "data");
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("data", all.size());
        if (spec.evaluation() != null) {
            counts.put("evaluation", readRows(spec.evaluation(), spec.evaluationSha256(), "evaluation-data").size());
        }
        float[][] vectors = vectors(spec.data(), spec.dataSha256(), "data", all, progress);
        Split split = spec.evaluation() != null ? Split.of(all.size(), 0, spec.config().seed())
                : Split.of(all.size(), spec.config().heldOut(), spec.config().seed());
        List<DataRow> rows = Split.pick(all, split.train());
        float[][] trainVectors = Split.pick(vectors, split.train());
        counts.put("train", rows.size());
        counts.put("held_out", split.heldOut().size());
        checkTrainable(rows);

        String fileName = spec.data().getFileName().toString();
        String stage = "train " + spec.name() + " (" + spec.trainer().yamlName() + ", " + rows.size() + " rows)";
        progress.update(stage, 0, 1);
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Example<?>> examples = (List) TribuoTasks.examples(spec.task(), rows, trainVectors,
                spec.config().labelColumn());
        String description = fileName + " sha256=" + spec.dataSha256() + " (" + rows.size() + " of " + all.size()
                + " rows)";
        @SuppressWarnings({"unchecked", "rawtypes"})
        MutableDataset<?> dataset = TribuoTasks.dataset(spec.task(), (List) examples, description);
        Model<?> model;
        try {
            model = TribuoTasks.train(spec.task(), spec.trainer(), spec.config(), dataset);
        } catch (RuntimeException | LinkageError e) {
            throw new ModelException("Tribuo could not train head '" + spec.name() + "' (trainer "
                    + spec.trainer().yamlName() + ") on " + fileName + ": " + e, e);
        }
        progress.update(stage, 1, 1);

        byte[] onnx = null;
        OnnxScorer scorer = null;
        if (spec.runtime() == ServingRuntime.ONNX) {
            String export = "export " + spec.name() + " to ONNX";
            progress.update(export, 0, 1);
            onnx = export(model);
            scorer = scorer(onnx, model);
            progress.update(export, 1, 1);
        }
        int dimension = spec.encoder().dimension();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> provenance = ModelCache.asStored(Provenances.training(spec, model, counts, seconds));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", ModelCache.FORMAT);
        record.put("head", spec.name());
        record.put("task", spec.task().yamlName());
        record.put("trainer", spec.trainer().yamlName());
        record.put("rows", rows.size());
        record.put("dimension", dimension);
        record.put("cache_key", spec.cacheKey());
        record.put("provenance", provenance);
        String cache = "cache " + spec.name();
        progress.update(cache, 0, 1);
        try {
            ModelCache.store(spec.cacheDir(), spec.cacheKey(), model, onnx, record);
        } catch (ModelException e) {
            if (scorer != null) {
                scorer.close();
            }
            throw e;
        }
        progress.update(cache, 1, 1);
        seconds = (System.nanoTime() - start) / 1e9;
        trainings.incrementAndGet();
        HeadTraining training = new HeadTraining(spec.name(), spec.task(), spec.trainer().yamlName(), rows.size(),
                false, seconds, spec.cacheKey(), spec.runtime().yamlName(), withServing(provenance));
        return new TrainedModel(spec.task(), model, scorer, training, dimension, spec.threshold());
    }

    /**
     * The stored provenance plus how this head serves the model: {@code runtime} and, for
     * multi-label, {@code threshold} (settings outside the cache key, so not in the stored record).
     */
    private Map<String, Object> withServing(Map<String, Object> provenance) {
        Map<String, Object> serving = new LinkedHashMap<>();
        serving.put("runtime", spec.runtime().yamlName());
        if (spec.task() == HeadTask.MULTI_LABEL) {
            serving.put("threshold", spec.threshold());
        }
        Map<String, Object> out = new LinkedHashMap<>(provenance);
        out.put("serving", serving);
        return out;
    }

    private void checkTrainable(List<DataRow> rows) throws ConfigException {
        String file = spec.data().getFileName().toString();
        if (rows.size() < 2) {
            throw new ConfigException("data", file + " leaves " + rows.size() + " training row(s) after holding out "
                    + Evaluations.percent(spec.config().heldOut()) + "%; a head needs at least 2");
        }
        if (spec.task() == HeadTask.CLASSIFICATION) {
            Set<String> labels = new TreeSet<>();
            rows.forEach(r -> labels.add(r.label()));
            if (labels.size() < 2) {
                throw new ConfigException("data", "the training rows of " + file + " all have the label "
                        + labels + " in column '" + spec.config().labelColumn() + "'; a classifier needs two or more");
            }
        }
        if (spec.task() == HeadTask.MULTI_LABEL && rows.stream().allMatch(r -> r.labels().isEmpty())) {
            throw new ConfigException("data", "no training row of " + file + " has a label in column '"
                    + spec.config().labelColumn() + "' (labels are separated by '" + spec.config().labelSeparator()
                    + "')");
        }
    }

    private byte[] export(Model<?> model) throws ModelException {
        if (!(model instanceof ONNXExportable exportable)) {
            throw new ModelException("Tribuo cannot export the " + model.getClass().getSimpleName() + " of head '"
                    + spec.name() + "' to ONNX");
        }
        try {
            return exportable.exportONNXModel(ONNX_DOMAIN, 1).toByteArray();
        } catch (RuntimeException e) {
            throw new ModelException("Tribuo could not export head '" + spec.name() + "' to ONNX: " + e, e);
        }
    }

    private OnnxScorer scorer(byte[] onnx, Model<?> model) throws ModelException {
        return new OnnxScorer(onnx, "head '" + spec.name() + "'", model.getFeatureIDMap().size(),
                model.getOutputIDInfo().size());
    }

    // ---- data

    /** Reads a data file's rows, refusing a file that changed since the head was created. */
    private List<DataRow> readRows(Path file, String sha256, String key) throws ConfigException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!Hashing.sha256(content).equals(sha256)) {
            throw new ConfigException(key, file.getFileName() + " changed since pipeline file was loaded (" + file
                    + "); reload the pipeline file so the head's cache key matches the data");
        }
        return DataFiles.read(content, file, columns(key));
    }

    private DataFiles.Columns columns(String key) {
        TribuoHeadConfig c = spec.config();
        return new DataFiles.Columns(key, c.task(), c.textColumn(), c.labelColumn(), c.labelSeparator());
    }

    private float[][] vectors(Path file, String sha256, String key, List<DataRow> rows, Progress progress)
            throws SextantException {
        return EmbeddingCache.vectors(spec.encoder(), spec.cacheDir(), new EmbeddingCache.Source(key,
                file.getFileName().toString(), sha256, spec.config().textColumn(), rows), progress);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (current != null) {
                current.close();
            }
            retired.forEach(TrainedModel::close);
            retired.clear();
        }
    }
}
