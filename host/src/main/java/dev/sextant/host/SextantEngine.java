package dev.sextant.host;

import dev.sextant.host.config.PipelineFile;
import dev.sextant.host.config.PipelineFileException;
import dev.sextant.host.config.PipelineFileLoader;
import dev.sextant.host.pipeline.AttributeStep;
import dev.sextant.host.pipeline.CompressStep;
import dev.sextant.host.pipeline.GenerateStep;
import dev.sextant.host.pipeline.HeadsStep;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.pipeline.SelectStep;
import dev.sextant.host.pipeline.StepType;
import dev.sextant.host.plugin.PluginHost;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's core without any front end: plugins, the pipeline-file loader and the built-in step
 * types. The command line, the shell and the REST API all work through one of these.
 */
public final class SextantEngine implements AutoCloseable {

    /** The step types pipelines can use. */
    public static final List<StepType<?>> STEP_TYPES = List.of(GenerateStep.TYPE, AttributeStep.TYPE,
            HeadsStep.TYPE, CompressStep.TYPE, SelectStep.TYPE);

    private final PluginHost plugins;
    private final PipelineFileLoader loader;
    private final dev.sextant.host.config.RequestConstraints requestConstraints;
    private final Map<String, String> settings;

    private SextantEngine(PluginHost plugins, Map<String, String> settings) {
        this.plugins = plugins;
        this.loader = new PipelineFileLoader(plugins, STEP_TYPES);
        this.requestConstraints = new dev.sextant.host.config.RequestConstraints(plugins);
        this.settings = Map.copyOf(settings);
    }

    /**
     * Starts the plugins of a folder.
     *
     * @param settings plugin settings; system properties {@code sextant.settings.<key>} (e.g.
     *     {@code -Dsextant.settings.heads.cache-dir=/tmp/heads}) fill in keys not given here, so the
     *     one-shot command line takes the same settings as the server's configuration
     */
    public static SextantEngine start(Path pluginsDir, Map<String, String> settings) {
        Map<String, String> merged = new TreeMap<>(systemSettings());
        merged.putAll(settings);
        return new SextantEngine(PluginHost.start(pluginsDir), merged);
    }

    private static Map<String, String> systemSettings() {
        Map<String, String> settings = new TreeMap<>();
        String prefix = "sextant.settings.";
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                settings.put(key.substring(prefix.length()), System.getProperty(key));
            }
        }
        return settings;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public PipelineFileLoader loader() {
        return loader;
    }

    /** Validates a pipeline file without creating anything. */
    public PipelineFile validate(Path file) throws PipelineFileException {
        return loader.load(file);
    }

    /** Validates a pipeline file and creates its components. */
    public PipelineSet load(Path file) throws PipelineFileException {
        return PipelineSet.create(loader.load(file), settings, requestConstraints);
    }

    @Override
    public void close() {
        plugins.close();
    }
}
