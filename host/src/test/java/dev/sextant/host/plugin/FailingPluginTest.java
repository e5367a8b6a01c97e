package dev.sextant.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import dev.sextant.host.cli.Cli;
import dev.sextant.host.cli.ExitCodes;
import dev.sextant.host.config.PipelineFileException;
import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SpiVersion;
import dev.sextant.spi.decode.TokenListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that throws in {@code start()} and one that needs a newer SPI sit next to the real
 * built-in plugins: both are reported with their reason, and the host goes on working.
 */
class FailingPluginTest {

    @TempDir
    static Path plugins;

    @TempDir
    Path work;

    private static SextantEngine engine;

    @BeforeAll
    static void start() throws Exception {
        BrokenPluginsFolder.create(plugins);
        engine = SextantEngine.start(plugins, Map.of());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static PluginReport report(String id) {
        return engine.plugins().plugins().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no report for plugin " + id + ": " + engine.plugins().plugins()));
    }

    @Test
    void pluginThatThrowsInStartIsListedAsFailedWithTheExceptionMessage() {
        PluginReport failed = report(BrokenPluginsFolder.FAILING);

        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.ok()).isFalse();
        assertThat(failed.reason()).contains("IllegalStateException", ThrowingPlugin.MESSAGE);
        assertThat(failed.types()).isEmpty();
    }

    @Test
    void pluginThatNeedsANewerSpiIsDisabledWithBothVersionsInTheReason() {
        PluginReport disabled = report(BrokenPluginsFolder.TOO_NEW);

        assertThat(disabled.state()).isEqualTo("disabled");
        assertThat(disabled.reason()).contains(">=9.0.0", SpiVersion.VERSION);
    }

    @Test
    void theOtherPluginsAreStartedWithTheirTypes() {
        assertThat(report("onnx").state()).isEqualTo("started");
        assertThat(report("decoders").state()).isEqualTo("started");
        assertThat(engine.plugins().type("onnx-causal-lm")).isPresent();
        assertThat(engine.plugins().type("greedy")).isPresent();
    }

    @Test
    void aPipelineOfTheWorkingPluginsStillRuns() throws Exception {
        try (PipelineSet set = engine.load(TestHome.greedyStoryPipelines(work))) {
            PipelineResult result = set.run("story", "mia lives in oslo . mia has a", TokenListener.NONE,
                    RunLimits.DEFAULT);

            assertThat(set.componentFailures()).isEmpty();
            assertThat(result.output()).isNotBlank();
        }
    }

    @Test
    void anUnknownTypeMentionsThePluginsThatAreNotRunning() throws Exception {
        Path file = work.resolve("beam.yaml");
        Files.writeString(file, """
                components:
                  beam: {type: beam-search}
                pipelines: {}
                """);

        try {
            engine.validate(file);
            throw new AssertionError("beam-search is not installed");
        } catch (PipelineFileException e) {
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message())
                    .contains("unknown type 'beam-search'", "plugins not running: ",
                            BrokenPluginsFolder.FAILING + " (failed to start: ", ThrowingPlugin.MESSAGE));
        }
    }

    @Test
    void cliPluginsCommandShowsTheFailedPluginWithItsReason() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                .execute(new String[] {"plugins", "--plugins-dir", plugins.toString()});
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(text.lines()).anyMatch(l -> l.matches("\\s+broken\\s+1\\.0\\.0\\s+failed\\s+failed to start: .*")
                && l.contains(ThrowingPlugin.MESSAGE));
        assertThat(text.lines()).anyMatch(l -> l.matches("\\s+from-the-future\\s+1\\.0\\.0\\s+disabled\\s+.*>=9\\.0\\.0.*"));
        assertThat(text.lines())
                .anyMatch(l -> l.matches("\\s+onnx\\s+\\S+\\s+started\\s+.*\\bonnx-causal-lm\\b.*"));
    }
}
