package dev.sextant.host.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.LoadedPipelines;
import dev.sextant.host.TestHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandExecutor;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.jline.CommandCompleter;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shell's commands and completion in the {@code shell} profile, driven through Spring Shell's
 * own parser, registry, executor and JLine completer (the terminal itself is exercised by ShellIT).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "spring.shell.history.enabled=false")
@ActiveProfiles("shell")
class ShellCommandsTest {

    /** Keeps Spring Shell from reading commands from the test's standard input. */
    @TestConfiguration
    static class NoShellRunner {
        @Bean
        ApplicationRunner springShellApplicationRunner() {
            return args -> { };
        }
    }

    @DynamicPropertySource
    static void sextant(DynamicPropertyRegistry registry) {
        registry.add("sextant.plugins-dir", () -> TestHome.pluginsDir().toString());
        registry.add("sextant.pipelines", () -> TestHome.defaultPipelines().toString());
    }

    @Autowired
    CommandRegistry registry;

    @Autowired
    CommandParser commandParser;

    @Autowired
    Parser lineParser;

    @Autowired
    LineReader lineReader;

    @Autowired
    CommandCompleter completer;

    @Autowired
    LoadedPipelines loaded;

    @AfterEach
    void serveTheDefaultPipelinesAgain() {
        if (!TestHome.defaultPipelines().equals(loaded.path())) {
            assertThat(loaded.load(TestHome.defaultPipelines())).isEmpty();
        }
    }

    /** Runs one line as the shell would and returns what it printed. */
    private String shell(String line) throws Exception {
        StringWriter out = new StringWriter();
        CommandContext context = new CommandContext(commandParser.parse(line), registry, new PrintWriter(out), null);
        ExitStatus status = new CommandExecutor(registry).execute(context);
        assertThat(status.code()).as("exit status of '%s': %s", line, out).isEqualTo(ExitStatus.OK.code());
        return out.toString();
    }

    /** The completion candidates for a line with the cursor at its end. */
    private List<String> complete(String line) {
        ParsedLine parsed = lineParser.parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(lineReader, parsed, candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void commandsAreRegisteredInTheSextantGroup() {
        for (String name : List.of("plugins", "pipelines", "run", "validate", "load", "heads")) {
            assertThat(registry.getCommandByName(name)).as(name).isNotNull()
                    .satisfies(c -> assertThat(c.getGroup()).isEqualTo("Sextant"));
        }
    }

    @Test
    void pluginsListsTheBuiltInPlugins() throws Exception {
        String out = shell("plugins");

        assertThat(out.lines())
                .anyMatch(l -> l.matches("\\s+onnx\\s+\\S+\\s+started\\s+.*\\bonnx-causal-lm\\b.*"));
        assertThat(out).doesNotContain("(decoder, plugin decoders)");
    }

    @Test
    void pluginsWithOptionsDocumentsOptions() throws Exception {
        String out = shell("plugins --options");

        assertThat(out).contains("greedy (decoder, plugin decoders): ", "  path (string, required): ");
    }

    @Test
    void pipelinesListsTheLoadedPipelines() throws Exception {
        String out = shell("pipelines");

        assertThat(out).contains("Pipelines in " + TestHome.defaultPipelines());
        assertThat(out.lines()).anyMatch(l -> l.matches("\\s+story\\s+generate\\s+ready\\s+.+"));
    }

    @Test
    void runPrintsTheStreamedOutputThenTheTimings() throws Exception {
        String out = shell("run story mia lives in oslo .");

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isNotBlank();
        assertThat(lines.get(1)).matches("generate \\d+\\.\\d ms; total \\d+\\.\\d ms");
    }

    @Test
    void runOfAnAttributingPipelinePrintsTheHeatmapBeforeTheTimings() throws Exception {
        String out = shell("run explain " + TestHome.OSLO_QUESTION);

        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo(" oslo");
        assertThat(lines.get(1)).isEqualTo("attribution (reagent): 1 generated token explained");
        assertThat(lines.get(2)).startsWith("  → \" oslo\"  token 0, probability ");
        assertThat(lines).anyMatch(l -> l.startsWith("    top: ")).anyMatch(l -> l.contains("[1]"));
        assertThat(lines.get(lines.size() - 1)).matches("generate \\d+\\.\\d ms; attribute \\d+\\.\\d ms; total .*");
    }

    @Test
    void runOfACompressingPipelineShowsTheDroppedWordsMarked() throws Exception {
        String out = shell("run compressed-answer context : tounlon owns a purple scarf . in fact , tumdriam has a"
                + " small blue key . tumdriam owns a horse , of course . question : what colour is the key of"
                + " tumdriam ? answer :");

        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo(" blue");
        // No terminal colour in the test: dropped words are marked [-like this-].
        assertThat(lines.get(1)).matches("compression \\(llmlingua2, rate 0\\.5\\): 31 -> \\d+ tokens, rate 0\\.\\d+");
        assertThat(lines.get(2)).startsWith("  context : ").contains("[-").contains("-]")
                .contains(" tumdriam has a small blue key . ").endsWith("question : what colour is the key of tumdriam ? answer :");
        assertThat(lines.get(lines.size() - 1)).matches("compress \\d+\\.\\d ms; generate \\d+\\.\\d ms; total .*");
    }

    @Test
    void runOfAHeadsPipelinePrintsEachHeadsPrediction() throws Exception {
        String out = shell("run sentence-labels dovrin got wet in the cold rain .");

        assertThat(out.lines()).anyMatch(l -> l.matches("\\s+story-topic\\s+weather\\s+weather [01]\\.\\d+.*"))
                .anyMatch(l -> l.matches("\\s+story-sentiment\\s+negative\\s+.*"))
                .anyMatch(l -> l.matches("heads \\d+\\.\\d ms; total .*"));
    }

    @Test
    void headsEvalPrintsMetricsAndConfusionMatrices() throws Exception {
        String out = shell("heads eval sentence-labels");

        assertThat(out.lines()).anyMatch(l -> l.matches("\\s+story-topic\\s+classification\\s+300\\s+accuracy \\d\\.\\d{4}.*"
                + "evaluation file labels\\.jsonl.*"));
        assertThat(out).contains("story-sentiment: confusion matrix (rows true, columns predicted)");
    }

    @Test
    void headsTrainListsTheHeadsItTrainedOrLoaded() throws Exception {
        String out = shell("heads train sentence-labels");

        assertThat(out.lines()).anyMatch(l -> l.matches("\\s+story-topic\\s+classification\\s+logistic\\s+900\\s+"
                + "(cache|trained)\\s+.*"));
    }

    @Test
    void headsOfAPipelineWithoutHeadsSaysWhichHaveThem() throws Exception {
        assertThat(shell("heads eval story")).startsWith("error: pipeline 'story' has no heads step")
                .contains("pipelines with one: tickets, sentence-labels");
        assertThat(shell("heads")).startsWith("usage: heads train|eval <pipeline> [--retrain]");
    }

    @Test
    void runTakesAQuotedTextAsOneArgument() throws Exception {
        String out = shell("run story \"mia lives in oslo .\"");

        assertThat(out).contains("; total ").doesNotContain("error:");
    }

    @Test
    void runOfAnUnknownPipelineSaysWhichExist() throws Exception {
        String out = shell("run nope hello");

        assertThat(out).startsWith("error: no pipeline named 'nope'").contains("story, answer, extract-answer, sample-story");
    }

    @Test
    void runWithoutArgumentsShowsUsage() throws Exception {
        assertThat(shell("run")).startsWith("usage: run <pipeline> <text...>; pipelines: story");
    }

    @Test
    void validateReportsProblemsAsFileLineColumn() throws Exception {
        Path broken = TestHome.broken("unknown-type.yaml");

        String out = shell("validate " + broken);

        assertThat(out).startsWith(broken + ":6:11: component 'greedy': unknown type 'gredy'");
    }

    @Test
    void validateOfAGoodFileSaysOk() throws Exception {
        assertThat(shell("validate " + TestHome.defaultPipelines()))
                .isEqualTo(TestHome.defaultPipelines() + ": ok (24 components, 9 pipelines)\n");
    }

    @Test
    void loadSwitchesTheServedPipelines(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = TestHome.greedyStoryPipelines(dir);

        String out = shell("load " + file);

        assertThat(out).contains("Pipelines in " + file);
        assertThat(loaded.path()).isEqualTo(file);
        assertThat(shell("pipelines")).doesNotContain("sample-story");
        assertThat(shell("run story mia has a")).contains("; total ");
    }

    @Test
    void aConstrainedPipelineRunsInTheShell(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("constrained.yaml");
        java.nio.file.Files.writeString(file, """
                components:
                  story-lm: {type: onnx-causal-lm, path: "%s"}
                  greedy: {type: greedy}
                pipelines:
                  city:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 8, constraint: {regex: " (paris|lima)"}}
                """.formatted(TestHome.storyModel().toString().replace("\\", "/")));
        assertThat(shell("load " + file)).contains("Pipelines in " + file);

        String out = shell("run city context : mia lives in oslo . question : where does mia live ? answer :");

        // the model would say oslo; the constraint leaves it paris or lima
        assertThat(out.lines().findFirst().orElseThrow()).matches(" ?(paris|lima)");
        assertThat(out).contains("; total ");
    }

    @Test
    void loadOfABrokenFileKeepsTheCurrentPipelines() throws Exception {
        Path broken = TestHome.broken("dangling-reference.yaml");

        String out = shell("load " + broken);

        assertThat(out).contains(broken + ":12:46: ")
                .contains("not loaded; still serving " + TestHome.defaultPipelines());
        assertThat(loaded.path()).isEqualTo(TestHome.defaultPipelines());
        assertThat(shell("run story mia has a")).contains("; total ");
    }

    @Test
    void tabCompletesPipelineNamesAfterRun() {
        assertThat(complete("run ")).containsExactlyInAnyOrder("story", "answer", "sample-story", "explain",
                "explain-mlm", "tickets", "sentence-labels", "compressed-answer", "extract-answer");
        assertThat(complete("run sa")).containsExactly("sample-story");
        assertThat(complete("heads ")).contains("train", "eval").doesNotContain("tickets");
        assertThat(complete("heads eval ")).contains("tickets", "sentence-labels").doesNotContain("story", "train");
        assertThat(complete("run story mia")).isEmpty();
    }

    @Test
    void tabCompletesPipelineFilesAndFoldersForValidateAndLoad() {
        assertThat(complete("validate src/test/resources/bro")).containsExactly("src/test/resources/broken/");
        assertThat(complete("load src/test/resources/broken/dup"))
                .containsExactly("src/test/resources/broken/duplicate-component.yaml");
        assertThat(complete("validate src/test/resources/broken/nothing-like-this")).isEmpty();
        assertThat(complete("validate no/such/folder/x")).isEmpty();
    }

    @Test
    void tabCompletesCommandNames() {
        assertThat(complete("pipel")).contains("pipelines");
        assertThat(complete("plugins ")).contains("--options");
    }
}
