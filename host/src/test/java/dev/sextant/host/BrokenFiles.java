package dev.sextant.host;

import java.nio.file.Path;
import java.util.List;

/**
 * The committed broken pipeline files, each with the one problem it must be reported with: where
 * (line and column, counted from 1) and what the message must say.
 */
public final class BrokenFiles {

    /**
     * One broken file.
     *
     * @param name file name under {@code host/src/test/resources/broken}
     * @param line expected line
     * @param column expected column
     * @param says fragments the message must contain
     */
    public record BrokenFile(String name, int line, int column, List<String> says) {

        public Path path() {
            return TestHome.broken(name);
        }

        /** The position as printed: {@code line:column}. */
        public String position() {
            return line + ":" + column;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static final List<BrokenFile> ALL = List.of(
            new BrokenFile("syntax-error.yaml", 2, 1,
                    List.of("YAML syntax error", "found character '\\t(TAB)' that cannot start any token",
                            "Do not use \\t(TAB) for indentation")),
            new BrokenFile("unknown-type.yaml", 6, 11,
                    List.of("component 'greedy': unknown type 'gredy'", "did you mean 'greedy'?",
                            "installed types: ", "onnx-causal-lm", "no-repeat-ngram", "sample")),
            new BrokenFile("missing-required.yaml", 3, 5,
                    List.of("component 'story-lm' (type onnx-causal-lm)", "missing required option 'path'")),
            new BrokenFile("wrong-value-type.yaml", 13, 27,
                    List.of("pipeline 'story', step 1 (generate)", "option 'max-new-tokens' expects integer, got 'lots'")),
            new BrokenFile("out-of-range.yaml", 7, 12,
                    List.of("component 'sampler' (type sample)", "option 'top-p' must be between 0 and 1, got 1.5")),
            new BrokenFile("unknown-option.yaml", 13, 11,
                    List.of("unknown option 'max-new-token'", "did you mean 'max-new-tokens'?",
                            "known options: model, decoder, processors, max-new-tokens")),
            new BrokenFile("dangling-reference.yaml", 12, 46,
                    List.of("option 'decoder' names 'beam', which is not declared under components",
                            "declared decoder components: greedy, sampler")),
            new BrokenFile("wrong-kind.yaml", 10, 67,
                    List.of("option 'processors' needs a processor component, but 'greedy' is a decoder (type greedy)")),
            new BrokenFile("duplicate-component.yaml", 7, 3,
                    List.of("component 'greedy' is declared twice")),
            new BrokenFile("unknown-step.yaml", 10, 9,
                    List.of("unknown step type 'generat'", "did you mean 'generate'?", "step types: generate")),
            new BrokenFile("bad-tokens.yaml", 13, 69,
                    List.of("pipeline 'explain', step 2 (attribute): option 'tokens' must be all, a generated"
                            + " token's index like 0, or a span like 0-3", "got '3-1'")),
            new BrokenFile("attribute-without-generate.yaml", 12, 9,
                    List.of("pipeline 'explain', step 1 (attribute): attribute needs a generate step before it")),
            new BrokenFile("empty.yaml", 1, 1,
                    List.of("the file is empty", "components:", "pipelines:")));

    private BrokenFiles() {
    }
}
