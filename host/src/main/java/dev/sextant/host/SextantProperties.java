package dev.sextant.host;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the server and shell ({@code sextant.*}).
 *
 * @param pluginsDir the plugins folder; defaults to {@code <sextant.home>/target/plugins}
 * @param pipelines the pipeline file loaded at start; defaults to
 *     {@code <sextant.home>/examples/pipelines/default.yaml}
 * @param apiKey when set, every {@code /api} request must send it as {@code X-API-Key} or
 *     {@code Authorization: Bearer}; unset means no key is required
 * @param settings free-form settings plugins read through their context (e.g.
 *     {@code onnx.intra-op-threads})
 */
@ConfigurationProperties("sextant")
public record SextantProperties(Path pluginsDir, Path pipelines, String apiKey, Map<String, String> settings) {

    public SextantProperties {
        pluginsDir = pluginsDir != null ? pluginsDir : HostPaths.pluginsDir();
        pipelines = pipelines != null ? pipelines : HostPaths.defaultPipelines();
        settings = settings != null ? Map.copyOf(settings) : Map.of();
    }

    /** Settings as a plain map. */
    public Map<String, String> settingsMap() {
        return new LinkedHashMap<>(settings);
    }
}
