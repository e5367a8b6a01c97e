package dev.sextant.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.PtyProcess;
import dev.sextant.host.TestHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged host's one-shot commands as a script sees them: exit codes from the process, and
 * standard output that holds only the command's output.
 */
class CommandLineIT {

    /** What one process did. */
    record Outcome(int code, String out, String err) {
    }

    private static Outcome sextant(String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(PtyProcess.sextant(args)).start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void runWithJsonPrintsOnlyJsonOnStandardOutput() throws Exception {
        TestHome.pluginsDir();

        Outcome outcome = sextant("run", "story", "--input", "mia lives in oslo .", "--json");

        assertThat(outcome.code()).as(outcome.err()).isZero();
        var json = Views.mapper().readTree(outcome.out());
        assertThat(json.get("output").isString()).isTrue();
        assertThat(outcome.err()).doesNotContain("INFO");
    }

    @Test
    void runInATerminalStreamsTheAnswerThenAColourHeatmap(@TempDir Path config) throws Exception {
        TestHome.pluginsDir();

        try (PtyProcess run = PtyProcess.start(PtyProcess.sextant("run", "explain", "--input", TestHome.OSLO_QUESTION),
                config)) {
            assertThat(run.waitFor(Duration.ofSeconds(120))).as(run.screen()).isZero();
            assertThat(run.screen()).startsWith(" oslo\n")
                    .contains("attribution (reagent): 1 generated token explained", "→ \" oslo\"", "    top: ");
            assertThat(run.rawAfter(0)).contains("\u001B[48;5;");
        }
    }

    @Test
    void validateOfABrokenFileExits2WithOneLinePerProblem() throws Exception {
        TestHome.pluginsDir();

        Outcome outcome = sextant("validate", TestHome.broken("three-problems.yaml").toString());

        assertThat(outcome.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(outcome.out()).isEmpty();
        List<String> lines = outcome.err().lines().toList();
        assertThat(lines).hasSize(3).allMatch(l -> l.matches(".*three-problems\\.yaml:\\d+:\\d+: .+"));
    }
}
