package dev.sextant.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.host.TestHome;
import dev.sextant.host.api.ServerTestSupport.Reply;
import dev.sextant.host.cli.Views;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The REST API on a real port, serving the default pipelines with the built-in plugins: listings,
 * runs, errors as JSON, streamed runs and health.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("serve")
class PipelineApiTest {

    private static final String STORY_INPUT = "{\"input\": \"mia lives in oslo . mia has a\"}";
    private static final String EXPLAIN_INPUT = "{\"input\": \"" + TestHome.OSLO_QUESTION + "\"}";

    @DynamicPropertySource
    static void sextant(DynamicPropertyRegistry registry) {
        registry.add("sextant.plugins-dir", () -> TestHome.pluginsDir().toString());
        registry.add("sextant.pipelines", () -> TestHome.defaultPipelines().toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Autowired
    ApplicationContext context;

    ServerTestSupport http;

    @BeforeEach
    void client() {
        http = new ServerTestSupport(port);
    }

    @Test
    void pluginsListsTheBuiltInPluginsAndTheirTypesWithOptions() throws Exception {
        Reply reply = http.get("/api/plugins");

        assertThat(reply.status()).isEqualTo(200);
        List<String> started = new ArrayList<>();
        reply.json().get("plugins").forEach(p -> {
            if (p.get("state").asString().equals("started")) {
                started.add(p.get("id").asString());
            }
        });
        assertThat(started).contains("onnx", "decoders");
        JsonNode greedy = find(reply.json().get("types"), "type", "greedy").orElseThrow();
        assertThat(greedy.get("kind").asString()).isEqualTo("decoder");
        assertThat(greedy.get("plugin").asString()).isEqualTo("decoders");
        JsonNode model = find(reply.json().get("types"), "type", "onnx-causal-lm").orElseThrow();
        assertThat(find(model.get("options"), "name", "path").orElseThrow().get("required").asBoolean()).isTrue();
    }

    @Test
    void pipelinesListsTheDefaultPipelinesAsReady() throws Exception {
        Reply reply = http.get("/api/pipelines");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("file").asString()).endsWith("default.yaml");
        JsonNode story = find(reply.json().get("pipelines"), "name", "story").orElseThrow();
        assertThat(story.get("state").asString()).isEqualTo("ready");
        assertThat(story.get("steps").get(0).asString()).isEqualTo("generate");
        assertThat(reply.json().has("problems")).isFalse();
    }

    @Test
    void runReturnsOutputTimingsAndProvenance() throws Exception {
        Reply reply = http.post("/api/pipelines/story/run", STORY_INPUT);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode result = reply.json();
        assertThat(result.get("pipeline").asString()).isEqualTo("story");
        assertThat(result.get("output").asString()).isNotBlank();
        assertThat(result.get("timings").get(0).get("step").asString()).isEqualTo("generate");
        assertThat(result.get("timings").get(0).get("millis").asDouble()).isPositive();
        assertThat(result.get("provenance").get("java").asString()).isNotBlank();
    }

    @Test
    void provenanceNamesThePluginAndTheModelChecksum() throws Exception {
        String modelSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(TestHome.storyModel().resolve("model.onnx"))));

        Reply reply = http.post("/api/pipelines/story/run", STORY_INPUT);

        JsonNode components = reply.json().get("provenance").get("components");
        assertThat(components.get("story-lm").get("plugin").asString()).isEqualTo("onnx");
        assertThat(components.get("story-lm").get("type").asString()).isEqualTo("onnx-causal-lm");
        assertThat(components.get("greedy").get("plugin").asString()).isEqualTo("decoders");
        List<String> modelFacts = new ArrayList<>();
        components.get("story-lm").get("model").forEach(v -> modelFacts.add(v.asString()));
        assertThat(modelFacts).as("model provenance %s", components.get("story-lm").get("model"))
                .contains(modelSha256);
    }

    @Test
    void concurrentRunsShareTheComponentsAndGiveTheSameText() throws Exception {
        String alone = http.post("/api/pipelines/story/run", STORY_INPUT).json().get("output").asString();

        List<java.util.concurrent.CompletableFuture<Reply>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return http.post("/api/pipelines/story/run", STORY_INPUT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }

        for (var run : runs) {
            Reply reply = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("output").asString()).isEqualTo(alone);
        }
    }

    @Test
    void runOfAnAttributingPipelineReturnsTheAttributionInItsJson() throws Exception {
        Reply reply = http.post("/api/pipelines/explain/run", EXPLAIN_INPUT);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode attribution = reply.json().get("slots").get("attribution");
        assertThat(attribution.get("method").asString()).isEqualTo("reagent");
        assertThat(attribution.get("target_tokens").get(0).asString()).isEqualTo(" oslo");
        JsonNode row = attribution.get("scores").get(0);
        assertThat(row.size()).isEqualTo(attribution.get("tokens").size());
        assertThat(row.get(row.size() - 1).isNull()).as("no score for the explained token itself").isTrue();
        assertThat(attribution.get("top").get(0).size()).isEqualTo(3);
        assertThat(attribution.get("settings").get("probes").asInt()).isEqualTo(16);
        assertThat(reply.json().get("timings").get(1).get("step").asString()).isEqualTo("attribute");
    }

    @Test
    void runOfACompressingPipelineReturnsTheCompressionInItsJson() throws Exception {
        String prompt = "context : tounlon owns a purple scarf . in fact , tumdriam has a small blue key ."
                + " tumdriam owns a horse , of course . mia lives in oslo . question : what colour is the key of"
                + " tumdriam ? answer :";
        Reply reply = http.post("/api/pipelines/compressed-answer/run", "{\"input\": \"" + prompt + "\"}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("output").asString()).isEqualTo(" blue");
        JsonNode compression = reply.json().get("slots").get("compression");
        int original = compression.get("original_tokens").asInt();
        int compressed = compression.get("compressed_tokens").asInt();
        assertThat(compressed).isLessThan(original);
        assertThat(compression.get("achieved_rate").asDouble()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.02))
                .isEqualTo(compressed / (double) original);
        assertThat(compression.get("info").get("method").asString()).isEqualTo("llmlingua2");
        assertThat(compression.get("info").get("relevance").asString()).isEqualTo("encoder");
        assertThat(compression.get("dropped").size()).isPositive();
        assertThat(compression.get("words").get(0).has("keep_score")).isTrue();
        assertThat(reply.json().get("timings").get(0).get("step").asString()).isEqualTo("compress");
    }

    @Test
    void runAskedForHtmlReturnsTheAttributionPage() throws Exception {
        Reply reply = http.post("/api/pipelines/explain/run", EXPLAIN_INPUT, Map.of("Accept", "text/html"));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("text/html;charset=UTF-8");
        assertThat(reply.body()).startsWith("<!DOCTYPE html>").contains("<b>explain</b>", "<b>reagent</b>",
                "<span class=\"u\" data-i=\"7\"> oslo</span>");
        assertThat(javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new org.xml.sax.InputSource(new java.io.StringReader(reply.body())))
                .getElementsByTagName("script").getLength()).isEqualTo(2);
    }

    @Test
    void htmlOfAPipelineWithoutAttributionIs400JsonBeforeRunning() throws Exception {
        Reply reply = http.post("/api/pipelines/story/run", STORY_INPUT, Map.of("Accept", "text/html"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("message").asString()).contains("pipeline 'story' has no attribute step",
                "pipelines with one: explain");
    }

    @Test
    void htmlOfAnUnknownPipelineIsA404InJson() throws Exception {
        Reply reply = http.post("/api/pipelines/nope/run", STORY_INPUT, Map.of("Accept", "text/html"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asString()).isEqualTo("unknown_pipeline");
    }

    @Test
    void unknownPipelineIs404JsonNamingThePipelines() throws Exception {
        Reply reply = http.post("/api/pipelines/nope/run", STORY_INPUT);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asString()).isEqualTo("unknown_pipeline");
        assertThat(reply.json().get("message").asString()).contains("'nope'", "story, answer, extract-answer, sample-story");
    }

    @Test
    void malformedJsonIs400Json() throws Exception {
        Reply reply = http.post("/api/pipelines/story/run", "{\"input\": ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asString()).isEqualTo("malformed_body");
        assertThat(reply.json().get("message").asString()).contains("{\"input\": \"some text\"}");
    }

    @Test
    void aRequestsConstraintBindsEveryGenerateStepOfTheRun() throws Exception {
        String question = "context : mia lives in oslo . question : where does mia live ? answer :";
        Reply regex = http.post("/api/pipelines/answer/run", "{\"input\": \"" + question + "\", \"constraint\":"
                + " {\"regex\": \" (paris|lima)\"}}");
        assertThat(regex.status()).as(regex.body()).isEqualTo(200);
        assertThat(regex.json().get("output").asString()).matches(" (paris|lima)");

        String schema = "{\"type\": \"object\", \"properties\": {\"city\": {\"enum\": [\"oslo\", \"paris\"]},"
                + " \"age\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 99}}, \"required\": [\"city\","
                + " \"age\"]}";
        Reply json = http.post("/api/pipelines/story/run", "{\"input\": \"mia lives in oslo . json :\","
                + " \"constraint\": {\"json-schema\": " + schema + ", \"whitespace\": \"compact\"}}");
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        assertThat(json.json().get("output").asString()).matches("\\{\"city\":\"(oslo|paris)\",\"age\":[1-9][0-9]?\\}");

        Reply grammar = http.post("/api/pipelines/answer/run", "{\"input\": \"" + question + "\", \"constraint\":"
                + " {\"grammar\": \"start: \\\" \\\" place\\nplace: CITY | \\\"(\\\" place \\\" or \\\" place"
                + " \\\")\\\"\\nCITY: \\\"lima\\\" | \\\"paris\\\"\\n\"}}");
        assertThat(grammar.status()).as(grammar.body()).isEqualTo(200);
        assertThat(grammar.json().get("output").asString()).matches(" [(a-z ]+[a-z)]");

        // the same pipeline without a constraint is unchanged
        Reply plain = http.post("/api/pipelines/answer/run", "{\"input\": \"" + question + "\"}");
        assertThat(plain.json().get("output").asString()).isEqualTo(" oslo");
    }

    @Test
    void aBadConstraintIs400JsonSayingWhatIsWrong() throws Exception {
        Reply pattern = http.post("/api/pipelines/story/run", "{\"input\": \"mia\", \"constraint\": {\"regex\":"
                + " \"(a\"}}");
        assertThat(pattern.status()).isEqualTo(400);
        assertThat(pattern.json().get("message").asString()).contains("unterminated group");

        Reply keyword = http.post("/api/pipelines/story/run", "{\"input\": \"mia\", \"constraint\":"
                + " {\"json-schema\": {\"type\": \"string\", \"contentSchema\": {}}}}");
        assertThat(keyword.status()).isEqualTo(400);
        assertThat(keyword.json().get("message").asString()).contains("/contentSchema");

        Reply file = http.post("/api/pipelines/story/run", "{\"input\": \"mia\", \"constraint\":"
                + " {\"json-schema\": \"/etc/passwd\"}}");
        assertThat(file.status()).isEqualTo(400);
        assertThat(file.json().get("message").asString()).contains("cannot name a file");

        Reply declared = http.post("/api/pipelines/story/run", "{\"input\": \"mia\", \"constraint\":"
                + " {\"type\": \"json-schema\", \"schema-file\": \"/etc/passwd\"}}");
        assertThat(declared.status()).isEqualTo(400);
        assertThat(declared.json().get("message").asString()).contains("cannot read files");

        Reply grammar = http.post("/api/pipelines/story/run", "{\"input\": \"mia\", \"constraint\":"
                + " {\"grammar\": \"start: a\\na: \\\"(\\\" a \\\")\\\"\\n\"}}");
        assertThat(grammar.status()).isEqualTo(400);
        assertThat(grammar.json().get("message").asString()).contains("generates no text");

        Reply kind = http.post("/api/pipelines/story/run", "{\"input\": \"mia\", \"constraint\": {\"lark\": 1}}");
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.json().get("message").asString()).contains("unknown kind 'lark'");
    }

    @Test
    void missingInputIs400Json() throws Exception {
        Reply reply = http.post("/api/pipelines/story/run", "{\"text\": \"mia\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asString()).isEqualTo("invalid_input");
        assertThat(reply.json().get("message").asString()).contains("'input'");
    }

    @Test
    void blankInputIs400Json() throws Exception {
        Reply reply = http.post("/api/pipelines/story/run", "{\"input\": \"   \"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("message").asString()).contains("the input is empty");
    }

    @Test
    void unknownEndpointIs404Json() throws Exception {
        Reply reply = http.get("/api/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asString()).isEqualTo("not_found");
    }

    @Test
    void serverKeepsServingAfterErrors() throws Exception {
        assertThat(http.post("/api/pipelines/nope/run", STORY_INPUT).status()).isEqualTo(404);
        assertThat(http.post("/api/pipelines/story/run", "not json").status()).isEqualTo(400);
        assertThat(http.post("/api/pipelines/story/run", "{}").status()).isEqualTo(400);

        Reply reply = http.post("/api/pipelines/story/run", STORY_INPUT);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("output").asString()).isNotBlank();
    }

    @Test
    void streamSendsTokensThatAddUpToTheResultOutput() throws Exception {
        HttpResponse<Stream<String>> response = http.postForLines("/api/pipelines/story/stream", STORY_INPUT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String[]> events = events(response.body());
        List<String> names = events.stream().map(e -> e[0]).toList();
        assertThat(names).last().isEqualTo("result");
        assertThat(names.subList(0, names.size() - 1)).isNotEmpty().containsOnly("token");
        StringBuilder streamed = new StringBuilder();
        for (String[] event : events.subList(0, events.size() - 1)) {
            streamed.append(Views.mapper().readTree(event[1]).get("text").asString());
        }
        JsonNode result = Views.mapper().readTree(events.get(events.size() - 1)[1]);
        assertThat(result.get("output").asString()).isNotBlank().isEqualTo(streamed.toString());
    }

    @Test
    void streamOfAnUnknownPipelineIsAPlain404() throws Exception {
        Reply reply = http.post("/api/pipelines/nope/stream", STORY_INPUT);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asString()).isEqualTo("unknown_pipeline");
    }

    @Test
    void healthIsUp() throws Exception {
        Reply reply = http.get("/actuator/health");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void serverListensOnLoopbackOnlyByDefault() throws Exception {
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");

        Optional<InetAddress> external = nonLoopbackAddress();
        if (external.isPresent()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(external.get(), port), 2000);
                }
            }).as("port %d must not be reachable on %s", port, external.get()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theServerDoesNotRunTheShell() {
        assertThat(context.getBeanNamesForType(org.springframework.shell.core.ShellRunner.class)).isEmpty();
        assertThat(context.containsBean("springShellApplicationRunner")).isFalse();
        assertThat(context.getBeanNamesForType(org.jline.terminal.Terminal.class)).as("no terminal is opened").isEmpty();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            Optional<InetAddress> address = nic.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
            if (address.isPresent()) {
                return address;
            }
        }
        return Optional.empty();
    }

    /** Server-sent events as {name, data} pairs. */
    private static List<String[]> events(Stream<String> lines) {
        List<String[]> events = new ArrayList<>();
        String[] current = {null, null};
        for (String line : (Iterable<String>) lines::iterator) {
            if (line.startsWith("event:")) {
                current[0] = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                String data = line.substring("data:".length());
                current[1] = current[1] == null ? data : current[1] + "\n" + data;
            } else if (line.isEmpty() && current[0] != null) {
                events.add(current);
                current = new String[] {null, null};
            }
        }
        if (current[0] != null) {
            events.add(current);
        }
        return events;
    }

    private static Optional<JsonNode> find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.has(field) && item.get(field).asString().equals(value)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    @Test
    void predictGivesEveryHeadsPredictionForEveryTextInOrder() throws Exception {
        Reply reply = http.post("/api/pipelines/tickets/predict", """
                {"texts": ["I was charged twice this month, please refund me.",
                           "The parcel with order #44120 never arrived.",
                           "Please add a dark mode to the app!"]}""");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode predictions = reply.json().get("predictions");
        assertThat(predictions.size()).isEqualTo(3);
        assertThat(predictions.get(0).get("ticket-topic").get("label").asString()).isEqualTo("billing");
        assertThat(predictions.get(1).get("ticket-topic").get("label").asString()).isEqualTo("shipping");
        assertThat(predictions.get(2).get("ticket-topic").get("label").asString()).isEqualTo("feature-request");
        assertThat(predictions.get(0).get("ticket-tags").get("labels").isArray()).isTrue();
        assertThat(predictions.get(0).get("ticket-severity").get("value").isNumber()).isTrue();
        assertThat(reply.json().get("head_ms").size()).isEqualTo(5);
    }

    @Test
    void predictRefusesABodyWithoutTextsAndAPipelineWithoutHeads() throws Exception {
        Reply empty = http.post("/api/pipelines/tickets/predict", "{\"texts\": []}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("message").asString()).contains("the body needs a list 'texts'");

        Reply blank = http.post("/api/pipelines/tickets/predict", "{\"texts\": [\"ok\", \"\"]}");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().get("message").asString()).contains("text 1 is empty");

        Reply story = http.post("/api/pipelines/story/predict", "{\"texts\": [\"x\"]}");
        assertThat(story.status()).isEqualTo(400);
        assertThat(story.json().get("message").asString()).contains("pipeline 'story' has no heads step");

        Reply unknown = http.post("/api/pipelines/nope/predict", "{\"texts\": [\"x\"]}");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void headsTrainAndEvaluationReportEachHead() throws Exception {
        Reply train = http.post("/api/pipelines/sentence-labels/heads/train", "{}");
        assertThat(train.status()).as(train.body()).isEqualTo(200);
        assertThat(train.json().get("heads").get(0).get("head").asString()).isEqualTo("story-topic");
        assertThat(train.json().get("heads").get(0).get("rows").asInt()).isEqualTo(900);

        Reply eval = http.get("/api/pipelines/sentence-labels/heads/evaluation");
        assertThat(eval.status()).as(eval.body()).isEqualTo(200);
        JsonNode topic = eval.json().get("heads").get(0);
        assertThat(topic.get("metrics").get("macro_f1").asDouble()).isBetween(0.0, 1.0);
        assertThat(topic.get("labels").size()).isEqualTo(6);
        assertThat(topic.get("confusion").size()).isEqualTo(6);
        assertThat(topic.get("training").get("provenance").isObject()).isTrue();
    }
}
