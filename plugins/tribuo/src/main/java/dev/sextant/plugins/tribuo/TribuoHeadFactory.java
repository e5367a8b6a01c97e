package dev.sextant.plugins.tribuo;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.Progress;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.head.Head;
import dev.sextant.spi.head.HeadFactory;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.model.Encoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Creates {@code tribuo} heads. Creating one validates the config and the data files' columns,
 * computes the cache key and loads a cached model for it; it never embeds or trains.
 *
 * <p>Host settings read: {@value #CACHE_DIR_SETTING} (default {@code ~/.cache/sextant/heads}).
 */
@Extension
public final class TribuoHeadFactory implements HeadFactory<TribuoHeadConfig> {

    /** The host setting naming the folder of cached models and embeddings. */
    public static final String CACHE_DIR_SETTING = "heads.cache-dir";

    private static final System.Logger LOG = System.getLogger(TribuoHeadFactory.class.getName());

    @Override
    public String type() {
        return "tribuo";
    }

    @Override
    public String description() {
        return "A classification, multi-label or regression head trained with Tribuo (logistic, linear SGD, LibLinear,"
                + " XGBoost) on an encoder's pooled vectors; cached, evaluated on held-out data, optionally served"
                + " from its ONNX export.";
    }

    @Override
    public Class<TribuoHeadConfig> configType() {
        return TribuoHeadConfig.class;
    }

    @Override
    public Head create(TribuoHeadConfig config, ComponentContext context) throws SextantException {
        TrainerKind trainer = trainer(config);
        validate(config, trainer);
        Encoder encoder = context.component(config.encoder(), Encoder.class);

        Path data = context.resolvePath(config.data());
        DataFiles.format(data, "data");
        DataFiles.checkColumns(data, columns(config, "data"));
        Path evaluation = null;
        if (config.evaluationData() != null) {
            evaluation = context.resolvePath(config.evaluationData());
            DataFiles.format(evaluation, "evaluation-data");
            DataFiles.checkColumns(evaluation, columns(config, "evaluation-data"));
        }
        byte[] dataContent = read(data, "data");
        byte[] evaluationContent = evaluation == null ? null : read(evaluation, "evaluation-data");
        String dataSha = Hashing.sha256(dataContent);
        String evaluationSha = evaluationContent == null ? null : Hashing.sha256(evaluationContent);

        Map<String, Object> settings = Trainers.settings(config, trainer);
        double threshold = config.threshold() != null ? config.threshold() : Trainers.naturalThreshold(trainer);
        String key = HeadSpec.cacheKey(settings, dataSha, evaluationSha, encoder);
        HeadSpec spec = new HeadSpec(context.componentName(), config, trainer, encoder, data, dataSha, evaluation,
                evaluationSha, cacheDir(context), settings, threshold, key);
        TribuoHead head = new TribuoHead(spec);
        if (!head.loadCached(Progress.NONE)) {
            // Not cached: read every row now, so bad data fails at load time with its line number.
            DataFiles.read(dataContent, data, columns(config, "data"));
            if (evaluation != null) {
                DataFiles.read(evaluationContent, evaluation, columns(config, "evaluation-data"));
            }
        }
        return head;
    }

    private static TrainerKind trainer(TribuoHeadConfig config) throws ConfigException {
        if (config.task() == null) {
            throw new ConfigException("task", "task is required: classification, multi-label or regression");
        }
        return config.trainer() != null ? config.trainer() : TrainerKind.defaultFor(config.task());
    }

    private static void validate(TribuoHeadConfig config, TrainerKind trainer) throws ConfigException {
        HeadTask task = config.task();
        if (!TrainerKind.allowedFor(task).contains(trainer)) {
            throw new ConfigException("trainer", "trainer: " + trainer.yamlName() + " cannot train a " + task.yamlName()
                    + " head; for task: " + task.yamlName() + " use one of: "
                    + TrainerKind.names(TrainerKind.allowedFor(task)));
        }
        if (config.runtime() == ServingRuntime.ONNX && !trainer.onnxExportable()) {
            java.util.Set<TrainerKind> exportable = java.util.EnumSet.noneOf(TrainerKind.class);
            TrainerKind.allowedFor(task).stream().filter(TrainerKind::onnxExportable).forEach(exportable::add);
            throw new ConfigException("runtime", "runtime: onnx cannot serve trainer: " + trainer.yamlName()
                    + " (Tribuo cannot export its models to ONNX); use runtime: tribuo, or for runtime: onnx one of the"
                    + " trainers " + TrainerKind.names(exportable));
        }
        if (task == HeadTask.MULTI_LABEL && (config.labelSeparator() == null || config.labelSeparator().isEmpty())) {
            throw new ConfigException("label-separator", "label-separator must not be empty (default ';')");
        }
        if (config.textColumn() == null || config.textColumn().isBlank()) {
            throw new ConfigException("text-column", "text-column must name a column");
        }
        if (config.labelColumn() == null || config.labelColumn().isBlank()) {
            throw new ConfigException("label-column", "label-column must name a column");
        }
        if (config.textColumn().equals(config.labelColumn())) {
            throw new ConfigException("label-column", "text-column and label-column are both '" + config.textColumn()
                    + "'; the label must be in a column of its own");
        }
        if (config.threshold() != null && task != HeadTask.MULTI_LABEL) {
            LOG.log(System.Logger.Level.WARNING, "threshold is only used by multi-label heads; ignored for task: "
                    + task.yamlName());
        }
    }

    private static DataFiles.Columns columns(TribuoHeadConfig config, String key) {
        return new DataFiles.Columns(key, config.task(), config.textColumn(), config.labelColumn(),
                config.labelSeparator());
    }

    private static byte[] read(Path file, String key) throws ConfigException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The cache folder: the host setting, with a leading {@code ~} taken as the user's home. */
    static Path cacheDir(ComponentContext context) {
        String home = System.getProperty("user.home");
        String value = context.setting(CACHE_DIR_SETTING, "~/.cache/sextant/heads").trim();
        if (value.equals("~")) {
            return Path.of(home);
        }
        if (value.startsWith("~/") || value.startsWith("~\\")) {
            return Path.of(home, value.substring(2));
        }
        return Path.of(value);
    }
}
