package dev.sextant.host.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.host.PtyProcess;
import dev.sextant.host.TestHome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged host in a real terminal: {@code sextant shell} is an interactive shell without a web
 * server, {@code sextant serve} a web server without a shell.
 */
class ShellIT {

    private static final String PROMPT = "sextant:>";
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration COMMAND = Duration.ofSeconds(60);

    @TempDir
    Path config;

    @Test
    void shellListsRunsCompletesAndExits() throws Exception {
        TestHome.pluginsDir();
        int port = freePort();
        try (PtyProcess shell = PtyProcess.start(PtyProcess.sextant("shell", "--server.port=" + port), config)) {
            shell.await(0, PROMPT, START);

            int mark = shell.mark();
            shell.type("pipelines\r");
            String pipelines = shell.await(mark, "sample-story", COMMAND);
            assertThat(pipelines).contains("Pipelines in " + TestHome.defaultPipelines());
            assertThat(pipelines.lines()).anyMatch(l -> l.matches("\\s+story\\s+generate\\s+ready\\s+.+"));
            shell.await(mark, PROMPT, COMMAND);

            mark = shell.mark();
            shell.type("run story mia lives in oslo .\r");
            String run = untilPrompt(shell, mark);
            assertThat(run).doesNotContain("error");
            assertThat(run).containsPattern("(?m)^generate \\d+\\.\\d ms; total \\d+\\.\\d ms$");
            assertThat(outputBeforeTimings(run)).isNotBlank();

            // In a real terminal the attribution is a colour heatmap.
            mark = shell.mark();
            shell.type("run explain " + TestHome.OSLO_QUESTION + "\r");
            String explained = untilPrompt(shell, mark);
            assertThat(explained).doesNotContain("error").contains("attribution (reagent): 1 generated token explained")
                    .containsPattern("(?m)^generate .* ms; attribute .* ms; total .* ms$");
            assertThat(shell.rawAfter(mark)).contains("\u001B[48;5;");

            // Tab completes "sto" to "story " (a run of "sto" would fail: there is no such pipeline).
            mark = shell.mark();
            shell.type("run sto\t");
            Thread.sleep(500);
            shell.type("mia has a\r");
            String completed = untilPrompt(shell, mark);
            assertThat(completed).doesNotContain("error").containsPattern("(?m)^generate .* ms; total .* ms$");

            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                }
            }).as("the shell must not start a web server on port %d", port).isInstanceOf(ConnectException.class);

            mark = shell.mark();
            shell.type("exit\r");
            shell.await(mark, "Exiting the shell", COMMAND);
            assertThat(shell.waitFor(COMMAND)).isZero();
        }
        assertThat(config.resolve("sextant/history")).as("the shell keeps its history in the user's config folder")
                .content().contains("run story mia lives in oslo .");
    }

    @Test
    void serveStartsTheServerAndNoShell() throws Exception {
        TestHome.pluginsDir();
        int port = freePort();
        try (PtyProcess server = PtyProcess.start(PtyProcess.sextant("serve", "--port", Integer.toString(port)), config)) {
            String health = awaitHealth(server, port);
            assertThat(health).contains("\"status\":\"UP\"");

            int mark = server.mark();
            server.type("pipelines\r");
            Thread.sleep(1500);
            assertThat(server.screen()).doesNotContain(PROMPT);
            assertThat(server.screenAfter(mark)).doesNotContain("Pipelines in");
            assertThat(server.isAlive()).isTrue();
        }
    }

    private static String untilPrompt(PtyProcess shell, int mark) throws InterruptedException {
        String shown = shell.await(mark, PROMPT, COMMAND);
        return shown.substring(0, shown.indexOf(PROMPT));
    }

    /** The lines between the echoed command and the timings line. */
    private static String outputBeforeTimings(String run) {
        StringBuilder output = new StringBuilder();
        var lines = run.lines().toList();
        for (int i = 1; i < lines.size() && !lines.get(i).startsWith("generate "); i++) {
            output.append(lines.get(i));
        }
        return output.toString();
    }

    private static String awaitHealth(PtyProcess server, int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long end = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the server did not become healthy on port " + port + "; its screen:\n"
                + server.screen());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
