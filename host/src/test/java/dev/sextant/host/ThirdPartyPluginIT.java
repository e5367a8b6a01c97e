package dev.sextant.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.plugin.PluginReport;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.TokenListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin template, built on its own against the SPI artefact by the examples module, is dropped
 * into a fresh plugins folder next to the ONNX plugin and used by a pipeline.
 */
class ThirdPartyPluginIT {

    private static final Path ROOT = Path.of(System.getProperty("sextant.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path plugins;

    @Test
    void templateDecoderLoadsFromAFreshPluginsFolderAndRunsAPipeline() throws Exception {
        Path template = onlyZip(ROOT.resolve("examples/target/it/plugin-template/target"));
        Path onnx = onlyZip(ROOT.resolve("target/plugins"), "onnx-");
        Files.copy(template, plugins.resolve(template.getFileName()));
        Files.copy(onnx, plugins.resolve(onnx.getFileName()));
        Path yaml = plugins.resolve("typical.yaml");
        Files.writeString(yaml, """
                components:
                  story-lm: {type: onnx-causal-lm, path: %s}
                  typical: {type: typical, mass: 0.9, seed: 7}
                pipelines:
                  story:
                    steps:
                      - generate: {model: story-lm, decoder: typical, max-new-tokens: 24, stop: ["\\n"]}
                """.formatted(ROOT.resolve("models/story-lm")));

        try (SextantEngine engine = SextantEngine.start(plugins, Map.of())) {
            List<PluginReport> reports = engine.plugins().plugins();
            assertThat(reports).extracting(PluginReport::state).containsOnly("started");
            assertThat(engine.plugins().type("typical")).isPresent();
            assertThat(engine.plugins().type("greedy")).as("built-in decoders are not in this folder").isEmpty();
            try (PipelineSet set = engine.load(yaml)) {
                assertThat(set.componentFailures()).isEmpty();
                PipelineResult first = set.run("story", "mia lives in oslo . mia has a", TokenListener.NONE,
                        RunLimits.DEFAULT);
                PipelineResult again = set.run("story", "mia lives in oslo . mia has a", TokenListener.NONE,
                        RunLimits.DEFAULT);
                assertThat(first.output()).isNotBlank();
                assertThat(again.output()).as("same seed, same text").isEqualTo(first.output());
                assertThat(first.provenance().toString()).contains("typical");
            }
        }
    }

    private static Path onlyZip(Path dir, String... prefix) throws IOException {
        assertThat(dir).as("%s must exist: run the build (./mvnw verify) first", dir).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> zips = files.filter(p -> p.toString().endsWith(".zip"))
                    .filter(p -> prefix.length == 0 || p.getFileName().toString().startsWith(prefix[0]))
                    .toList();
            assertThat(zips).as("one plugin archive in %s", dir).hasSize(1);
            return zips.get(0);
        }
    }
}
