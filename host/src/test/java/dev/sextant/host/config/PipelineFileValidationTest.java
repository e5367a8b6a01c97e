package dev.sextant.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.host.BrokenFiles;
import dev.sextant.host.BrokenFiles.BrokenFile;
import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Pipeline files are checked against the real installed plugins: every problem is reported at its
 * line and column with a message that says how to fix it.
 */
class PipelineFileValidationTest {

    static final List<BrokenFile> BROKEN = BrokenFiles.ALL;

    private static SextantEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPlugins() {
        engine = SextantEngine.start(TestHome.pluginsDir(), Map.of());
    }

    @AfterAll
    static void stopPlugins() {
        engine.close();
    }

    private static List<Problem> problemsOf(Path file) {
        try {
            engine.validate(file);
        } catch (PipelineFileException e) {
            return e.problems();
        }
        throw new AssertionError(file + " was expected to be invalid but validated");
    }

    /** {@code line:column} of the first {@code token} on a 1-based line of {@code yaml}. */
    private static String positionOf(String yaml, int line, String token) {
        String text = yaml.lines().toList().get(line - 1);
        assertThat(text).contains(token);
        return line + ":" + (text.indexOf(token) + 1);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("BROKEN")
    void brokenFileIsReportedOnceAtItsLineAndColumn(BrokenFile broken) {
        List<Problem> problems = problemsOf(broken.path());

        assertThat(problems).as("problems of %s", broken.name()).hasSize(1);
        Problem problem = problems.get(0);
        assertThat(problem.line() + ":" + problem.column()).isEqualTo(broken.position());
        assertThat(problem.message()).contains(broken.says());
        assertThat(problem.format())
                .isEqualTo(broken.path() + ":" + broken.position() + ": " + problem.message());
    }

    @Test
    void fileWithThreeProblemsReportsAllThreeSortedByLine() {
        List<Problem> problems = problemsOf(TestHome.broken("three-problems.yaml"));

        assertThat(problems).extracting(p -> p.line() + ":" + p.column())
                .containsExactly("7:20", "8:27", "13:5");
        assertThat(problems.get(0).message()).contains("option 'decoder' names 'beam'",
                "declared decoder components: greedy");
        assertThat(problems.get(1).message()).contains("option 'max-new-tokens' expects integer, got 'lots'");
        assertThat(problems.get(2).message()).contains("unknown option 'threads'", "known options: path");
    }

    @Test
    void missingFileIsReportedWithItsName() {
        Path missing = dir.resolve("nowhere.yaml");

        List<Problem> problems = problemsOf(missing);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(missing);
            assertThat(p.message()).isEqualTo("no such file");
            assertThat(p.format()).isEqualTo(missing + ":0:0: no such file");
        });
    }

    @Test
    void componentWithUnknownTypeIsNotAlsoReportedAsDanglingWhereItIsUsed() throws Exception {
        Path file = dir.resolve("typo.yaml");
        String yaml = """
                components:
                  lm: {type: onnx-causal-llm, path: x}
                pipelines:
                  p:
                    steps:
                      - generate: {model: lm, decoder: lm}
                """;
        Files.writeString(file, yaml);

        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line() + ":" + p.column()).isEqualTo(positionOf(yaml, 2, "onnx-causal-llm"));
            assertThat(p.message()).contains("unknown type 'onnx-causal-llm'", "did you mean 'onnx-causal-lm'?");
        });
    }

    @Test
    void missingTypeListsTheInstalledTypes() throws Exception {
        Path file = dir.resolve("untyped.yaml");
        String yaml = """
                components:
                  greedy: {seed: 1}
                pipelines:
                  p:
                    steps:
                      - generate: {model: greedy, decoder: greedy}
                """;
        Files.writeString(file, yaml);

        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line() + ":" + p.column()).isEqualTo(positionOf(yaml, 2, "{seed"));
            assertThat(p.message()).contains("component 'greedy': missing 'type:'", "installed types: ",
                    "greedy", "onnx-causal-lm");
        });
    }

    @Test
    void outOfRangeStepOptionNamesTheAllowedRange() throws Exception {
        Path file = dir.resolve("negative.yaml");
        String yaml = """
                components:
                  story-lm: {type: onnx-causal-lm, path: x}
                  greedy: {type: greedy}
                pipelines:
                  story:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: -5}
                """;
        Files.writeString(file, yaml);

        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line() + ":" + p.column()).isEqualTo(positionOf(yaml, 7, "-5"));
            assertThat(p.message()).contains("option 'max-new-tokens' must be at least 0, got -5");
        });
    }

    @Test
    void misspeltSectionIsReportedOnceWithTheSectionItMeant() throws Exception {
        Path file = dir.resolve("section.yaml");
        String yaml = """
                components:
                  greedy: {type: greedy}
                pipeline:
                  p:
                    steps: [{generate: {model: greedy, decoder: greedy}}]
                """;
        Files.writeString(file, yaml);

        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line() + ":" + p.column()).isEqualTo(positionOf(yaml, 3, "pipeline:"));
            assertThat(p.message()).contains("unknown section 'pipeline'", "did you mean 'pipelines'?");
        });
    }

    @Test
    void limitsAreCheckedLikeOptions() throws Exception {
        Path file = dir.resolve("limits.yaml");
        String yaml = """
                limits: {timeout: soon, max-input-tokens: 0}
                components: {}
                pipelines: {}
                """;
        Files.writeString(file, yaml);

        List<Problem> problems = problemsOf(file);

        assertThat(problems).extracting(p -> p.line() + ":" + p.column())
                .containsExactly(positionOf(yaml, 1, "soon"), positionOf(yaml, 1, "0}"));
        assertThat(problems.get(0).message()).contains("limits: option 'timeout' expects duration, got 'soon'");
        assertThat(problems.get(1).message()).contains("option 'max-input-tokens' must be at least 1, got 0");
    }

    @Test
    void aZeroTimeoutIsRefusedWithTheFix() throws Exception {
        Path file = dir.resolve("timeout.yaml");
        Files.writeString(file, """
                limits: {timeout: 0s}
                components: {}
                pipelines: {}
                """);

        assertThat(problemsOf(file)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'timeout' must be positive, e.g. 30s"));
    }

    @Test
    void defaultPipelinesValidate() throws Exception {
        PipelineFile file = engine.validate(TestHome.defaultPipelines());

        assertThat(file.pipelines()).containsKeys("story", "answer", "sample-story");
        assertThat(file.components()).containsKeys("story-lm", "greedy");
    }

    @Test
    void stepOptionsWithEmptyTextDefaultsBindToEmptyText() throws Exception {
        Path file = TestHome.greedyStoryPipelines(dir);

        PipelineFile loaded = engine.validate(file);

        var config = (dev.sextant.host.pipeline.GenerateConfig) loaded.pipelines().get("story").steps().get(0).config();
        assertThat(config.prefix()).isEmpty();
        assertThat(config.suffix()).isEmpty();
        assertThat(config.processors()).isEmpty();
        assertThat(config.maxNewTokens()).isEqualTo(16);
    }

    @Test
    void validatingCreatesNothing() {
        assertThatThrownBy(() -> engine.load(TestHome.broken("missing-required.yaml")))
                .isInstanceOf(PipelineFileException.class);
    }
}
