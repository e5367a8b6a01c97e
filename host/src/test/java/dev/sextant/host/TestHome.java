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
                    + " (mvn -B -o -pl plugins/onnx,plugins/decoders package -DskipTests)");
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
}
