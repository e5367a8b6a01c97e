package dev.sextant.host;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the tests find the real parts: the repository root (surefire passes {@code sextant.root}),
 * the plugin archives the build staged, the default pipelines and the committed model.
 */
public final class TestHome {

    /** The repository root. */
    public static final Path ROOT = Path.of(System.getProperty("sextant.root", "..")).toAbsolutePath().normalize();

    private TestHome() {
    }

    /** The staged plugins folder; fails the test if the built-in archives are not there. */
    public static Path pluginsDir() {
        archive("onnx-");
        archive("decoders-");
        archive("attribution-");
        archive("tribuo-");
        archive("compressors-");
        archive("constraints-");
        return ROOT.resolve("target/plugins");
    }

    /** The one staged archive whose name starts with {@code prefix}, e.g. {@code onnx-}. */
    public static Path archive(String prefix) {
        Path dir = ROOT.resolve("target/plugins");
        List<Path> zips;
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            zips = files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.getFileName().toString().endsWith(".zip")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (zips.size() != 1) {
            fail("expected one " + prefix + "*.zip in " + dir + ", found " + zips + ": run the build first"
                    + " (mvn -B -o -pl plugins/onnx,plugins/decoders,plugins/attribution,plugins/tribuo,plugins/compressors,plugins/constraints package -DskipTests)");
        }
        return zips.get(0);
    }

    /** {@code examples/pipelines/default.yaml}. */
    public static Path defaultPipelines() {
        return ROOT.resolve("examples/pipelines/default.yaml");
    }

    /** The committed story model. */
    public static Path storyModel() {
        return ROOT.resolve("models/story-lm");
    }

    /** A committed broken pipeline file under {@code host/src/test/resources/broken}. */
    public static Path broken(String name) {
        return ROOT.resolve("host/src/test/resources/broken").resolve(name);
    }

    /** A working test pipeline file under {@code host/src/test/resources/pipelines}. */
    public static Path pipelines(String name) {
        return ROOT.resolve("host/src/test/resources/pipelines").resolve(name);
    }

    /** A pipeline file with only the story model and greedy decoding, written into {@code dir}. */
    public static Path greedyStoryPipelines(Path dir) throws IOException {
        Path file = dir.resolve("greedy-story.yaml");
        Files.writeString(file, """
                components:
                  story-lm: {type: onnx-causal-lm, path: "%s"}
                  greedy: {type: greedy}
                pipelines:
                  story:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 16, stop: ["\\n"]}
                """.formatted(storyModel().toString().replace("\\", "/")));
        return file;
    }

    /** The question the README's first command asks; story-lm answers " oslo". */
    public static final String OSLO_QUESTION =
            "context : mia lives in oslo . tom has a red ball . question : where does mia live ? answer :";

    /**
     * A pipeline file that answers and then attributes, written into {@code dir}: {@code occlusion}
     * and {@code reagent} (4 probes, so tests stay fast) explain the answer, {@code reagent-mlm} too with
     * the masked language model's replacements; {@code span} explains
     * generated tokens 1-2 of a continuation; {@code beyond} asks for a token the answer does not have.
     */
    public static Path attributionPipelines(Path dir) throws IOException {
        Path file = dir.resolve("attribution.yaml");
        Files.writeString(file, """
                components:
                  story-lm: {type: onnx-causal-lm, path: "%s"}
                  greedy: {type: greedy}
                  occlusion: {type: occlusion}
                  reagent: {type: reagent, probes: 4, max-probe-steps: 300}
                  story-mlm: {type: onnx-masked-lm, path: "%s"}
                  reagent-mlm: {type: reagent, replacer: mlm, masked-lm: story-mlm, probes: 4, max-probe-steps: 300}
                pipelines:
                  occlusion:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 16, stop: ["\\n"]}
                      - attribute: {model: story-lm, attributor: occlusion}
                  reagent:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 16, stop: ["\\n"]}
                      - attribute: {model: story-lm, attributor: reagent, seed: 7}
                  reagent-mlm:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 16, stop: ["\\n"]}
                      - attribute: {model: story-lm, attributor: reagent-mlm}
                  span:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 6}
                      - attribute: {model: story-lm, attributor: occlusion, tokens: 1-2}
                  beyond:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 16, stop: ["\\n"]}
                      - attribute: {model: story-lm, attributor: occlusion, tokens: 5}
                """.formatted(storyModel().toString().replace("\\", "/"),
                        ROOT.resolve("models/story-mlm").toString().replace("\\", "/")));
        return file;
    }
}
