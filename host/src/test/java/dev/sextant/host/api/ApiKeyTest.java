package dev.sextant.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.TestHome;
import dev.sextant.host.api.ServerTestSupport.Reply;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code sextant.api-key} set, every {@code /api} request must carry the key. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sextant.api-key=secret")
@ActiveProfiles("serve")
@DirtiesContext
class ApiKeyTest {

    @DynamicPropertySource
    static void sextant(DynamicPropertyRegistry registry) {
        registry.add("sextant.plugins-dir", () -> TestHome.pluginsDir().toString());
        registry.add("sextant.pipelines", () -> TestHome.defaultPipelines().toString());
    }

    @LocalServerPort
    int port;

    ServerTestSupport http;

    @BeforeEach
    void client() {
        http = new ServerTestSupport(port);
    }

    @Test
    void requestWithoutTheKeyIs401Json() throws Exception {
        Reply reply = http.get("/api/pipelines");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("error").asString()).isEqualTo("unauthorized");
        assertThat(reply.json().get("message").asString()).contains("X-API-Key");
    }

    @Test
    void runWithoutTheKeyIs401BeforeAnythingRuns() throws Exception {
        Reply reply = http.post("/api/pipelines/story/run", "{\"input\": \"mia\"}");

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void wrongKeyIs401() throws Exception {
        Reply reply = http.get("/api/pipelines", Map.of("X-API-Key", "guess"));

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void correctKeyInTheHeaderIsLetThrough() throws Exception {
        Reply reply = http.post("/api/pipelines/story/run", "{\"input\": \"mia lives in oslo .\"}",
                Map.of("X-API-Key", "secret"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().has("output")).isTrue();
    }

    @Test
    void correctKeyAsBearerTokenIsLetThrough() throws Exception {
        Reply reply = http.get("/api/plugins", Map.of("Authorization", "Bearer secret"));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void healthNeedsNoKey() throws Exception {
        Reply reply = http.get("/actuator/health");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asString()).isEqualTo("UP");
    }
}
