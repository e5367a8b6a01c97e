package dev.sextant.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.host.TestHome;
import dev.sextant.host.api.ServerTestSupport.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The compressors over REST on a real port, besides llmlingua2 (PipelineApiTest): a self-information
 * compress step on story-lm and a ZIP-FIT select step over a corpus file, from a pipeline file of
 * their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("serve")
class CompressionApiTest {

    private static final String CONTEXT = "context : tounlon owns a purple scarf . in fact , tumdriam has a small"
            + " blue key . tumdriam owns a horse , of course . question : what colour is the key of tumdriam ?"
            + " answer :";

    @DynamicPropertySource
    static void sextant(DynamicPropertyRegistry registry) {
        Path dir;
        try {
            dir = Files.createDirectories(TestHome.ROOT.resolve("host/target/compression-api-test"));
            Files.writeString(dir.resolve("pool.jsonl"), String.join("\n",
                    "{\"text\": \"fix : the dog run fast . fixed :\"}",
                    "{\"text\": \"text : mia took a train to oslo . topic :\"}",
                    "{\"text\": \"fix : tom have a red ball . fixed :\"}",
                    "{\"text\": \"write the record of mia as json with keys name , age . json :\"}"));
            Files.writeString(dir.resolve("compression.yaml"), """
                    components:
                      story-lm: {type: onnx-causal-lm, path: "%s"}
                      greedy: {type: greedy}
                      self-information: {type: self-information, model: story-lm}
                      zipfit: {type: zipfit, threads: 1}
                    pipelines:
                      selfinfo-answer:
                        steps:
                          - compress: {compressor: self-information, rate: 0.5, keep-until: "context :", keep-from: " question :"}
                          - generate: {model: story-lm, decoder: greedy, max-new-tokens: 8, stop: ["\\n"]}
                      with-examples:
                        steps:
                          - select: {selector: zipfit, corpus: pool.jsonl, top-k: 2, separator: " | "}
                    """.formatted(TestHome.ROOT.resolve("models/story-lm").toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("sextant.plugins-dir", () -> TestHome.pluginsDir().toString());
        registry.add("sextant.pipelines", () -> dir.resolve("compression.yaml").toString());
    }

    @LocalServerPort
    int port;

    ServerTestSupport http;

    @BeforeEach
    void client() {
        http = new ServerTestSupport(port);
    }

    @Test
    void selfInformationCompressesTheContextBeforeTheModelAnswers() throws Exception {
        Reply reply = http.post("/api/pipelines/selfinfo-answer/run", "{\"input\": \"" + CONTEXT + "\"}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode compression = reply.json().get("slots").get("compression");
        assertThat(compression.get("compressor").asString()).isEqualTo("self-information");
        assertThat(compression.get("info").get("method").asString()).isEqualTo("self-information");
        assertThat(compression.get("achieved_rate").asDouble()).isCloseTo(0.5, within(0.02));
        assertThat(compression.get("head").asString()).isEqualTo("context : ");
        assertThat(compression.get("tail").asString()).startsWith(" question : what colour");
        assertThat(compression.get("dropped").size()).isPositive();
        assertThat(reply.json().get("output").isString()).isTrue();
        assertThat(reply.json().get("timings").get(0).get("step").asString()).isEqualTo("compress");
    }

    @Test
    void zipfitPutsTheCandidatesMostLikeThePromptBeforeIt() throws Exception {
        Reply reply = http.post("/api/pipelines/with-examples/run", "{\"input\": \"fix : mia have a cat . fixed :\"}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode selection = reply.json().get("slots").get("selection");
        assertThat(selection.get("selector").asString()).isEqualTo("zipfit");
        assertThat(selection.get("scored").asInt()).isEqualTo(4);
        assertThat(selection.get("selected")).hasSize(2);
        assertThat(selection.get("selected").get(0).get("text").asString()).startsWith("fix : ");
        assertThat(selection.get("selected").get(1).get("text").asString()).startsWith("fix : ");
        assertThat(reply.json().get("slots").get("prompt").asString()).endsWith(" | fix : mia have a cat . fixed :");
    }
}
