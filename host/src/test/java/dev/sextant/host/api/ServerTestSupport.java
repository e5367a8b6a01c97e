package dev.sextant.host.api;

import dev.sextant.host.cli.Views;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A plain HTTP client for tests that talk to a server on a real port. */
final class ServerTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response with its body parsed as JSON, or {@code null} if the body is not JSON. */
    record Reply(int status, String contentType, String body, JsonNode json) {
    }

    private final String base;

    ServerTestSupport(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Reply get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        return send(request.GET().build());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return get(path, Map.of());
    }

    Reply post(String path, String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply post(String path, String body) throws IOException, InterruptedException {
        return post(path, body, Map.of());
    }

    /** Posts and returns the raw response lines (for server-sent events). */
    HttpResponse<java.util.stream.Stream<String>> postForLines(String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    }

    private static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = null;
        if (type.contains("json")) {
            json = Views.mapper().readTree(response.body());
        }
        return new Reply(response.statusCode(), type, response.body(), json);
    }
}
