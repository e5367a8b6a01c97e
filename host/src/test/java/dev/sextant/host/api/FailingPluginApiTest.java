package dev.sextant.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.TestHome;
import dev.sextant.host.api.ServerTestSupport.Reply;
import dev.sextant.host.plugin.BrokenPluginsFolder;
import dev.sextant.host.plugin.ThrowingPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A server whose plugins folder holds a plugin that fails to start: it reports the failure with its
 * reason and serves the pipelines of the working plugins. The folder is made under {@code
 * host/target}, so it outlives the server until the build cleans it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("serve")
@DirtiesContext
class FailingPluginApiTest {

    private static Path folder;

    @DynamicPropertySource
    static void sextant(DynamicPropertyRegistry registry) {
        registry.add("sextant.plugins-dir", () -> plugins().toString());
        registry.add("sextant.pipelines", () -> pipelines().toString());
    }

    private static synchronized Path plugins() {
        if (folder == null) {
            try {
                Path target = Files.createDirectories(TestHome.ROOT.resolve("host/target"));
                folder = Files.createTempDirectory(target, "failing-plugins-");
                BrokenPluginsFolder.create(Files.createDirectory(folder.resolve("plugins")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder.resolve("plugins");
    }

    private static Path pipelines() {
        try {
            return TestHome.greedyStoryPipelines(plugins().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Test
    void pluginsReportsTheFailedPluginWithItsReason() throws Exception {
        Reply reply = new ServerTestSupport(port).get("/api/plugins");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode failed = null;
        JsonNode onnx = null;
        for (JsonNode plugin : reply.json().get("plugins")) {
            if (plugin.get("id").asString().equals(BrokenPluginsFolder.FAILING)) {
                failed = plugin;
            } else if (plugin.get("id").asString().equals("onnx")) {
                onnx = plugin;
            }
        }
        assertThat(failed).as("the failed plugin is listed").isNotNull();
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("reason").asString()).contains("failed to start", ThrowingPlugin.MESSAGE);
        assertThat(onnx.get("state").asString()).isEqualTo("started");
    }

    @Test
    void pipelinesOfTheWorkingPluginsRun() throws Exception {
        Reply reply = new ServerTestSupport(port).post("/api/pipelines/story/run", "{\"input\": \"mia lives in oslo .\"}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("output").asString()).isNotBlank();
    }
}
