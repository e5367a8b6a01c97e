package dev.sextant.host.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.pipeline.AttributionReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The terminal heatmap, with and without colour. */
class AttributionAnsiTest {

    private static final AttributionReport ANSWER = Reports.of(
            List.of("mia", " lives", " in", " oslo", " .", " answer", " :", " oslo"), 1,
            new float[][] {{0.05f, 0.01f, 0f, 0.8f, 0f, 0.1f, 0.4f}}, List.of());

    @Test
    void withoutColourTheTopWordsAreMarkedByRankAndListedWithScores() {
        String out = new AttributionAnsi(false, 8).render(ANSWER);

        assertThat(out).isEqualTo("""
                attribution (test-method): 1 generated token explained
                  → " oslo"  token 0, probability 0.500, entropy 1.25 nats
                    mia lives in oslo[1] . answer[3] :[2]
                    top: oslo 0.800, : 0.400, answer 0.100
                """);
    }

    @Test
    void withColourTheWordsGetBackgroundsByImportanceAndNoRankMarks() {
        String out = new AttributionAnsi(true, 8).render(ANSWER);

        assertThat(out).contains("\u001B[48;5;160m\u001B[38;5;231moslo\u001B[0m", "mia", "\u001B[1m→ \" oslo\"")
                .doesNotContain("oslo[1]");
        assertThat(out.replaceAll("\u001B\\[[0-9;]*m", "")).contains("mia lives in oslo . answer :");
    }

    @Test
    void aNegativeScoreIsBlue() {
        AttributionReport report = Reports.of(List.of("a", " b", " c"), 1, new float[][] {{1f, -1f}}, List.of());

        assertThat(new AttributionAnsi(true, 8).render(report)).contains("\u001B[48;5;27m\u001B[38;5;231mb\u001B[0m");
    }

    @Test
    void rowsBeyondTheLimitAreSummarised() {
        AttributionReport report = Reports.of(List.of("a", " b", " c", " d"), 3,
                new float[][] {{1f}, {1f, 0.5f}, {1f, 0.5f, 0.2f}}, List.of("a warning"));

        String out = new AttributionAnsi(false, 2).render(report);

        assertThat(out.lines().filter(l -> l.startsWith("  → "))).hasSize(2);
        assertThat(out).contains("  ... 1 more generated tokens", "  warning: a warning");
    }

    @Test
    void controlCharactersInTextCannotDriveTheTerminal() {
        AttributionReport report = Reports.of(List.of("x\u001B[2J", " y"), 1, new float[][] {{1f}}, List.of());

        assertThat(new AttributionAnsi(false, 8).render(report)).doesNotContain("\u001B").contains("x?[2J");
    }

    @Test
    void colourOnlyOnATerminalWithoutNoColour() {
        assertThat(TerminalColours.wanted(true, Map.of("TERM", "xterm"))).isTrue();
        assertThat(TerminalColours.wanted(false, Map.of("TERM", "xterm"))).isFalse();
        assertThat(TerminalColours.wanted(true, Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(TerminalColours.wanted(true, Map.of("NO_COLOR", ""))).isTrue();
        assertThat(TerminalColours.wanted(true, Map.of("TERM", "dumb"))).isFalse();
    }
}
