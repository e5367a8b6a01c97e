package dev.sextant.host.plugin;

import dev.sextant.host.TestHome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a real plugins folder: copies of the built-in onnx and decoders archives, a plugin folder
 * whose class throws in {@code start()} ({@code broken}), and one that needs SPI 9 ({@code
 * from-the-future}).
 */
public final class BrokenPluginsFolder {

    /** Id of the plugin that fails to start. */
    public static final String FAILING = "broken";
    /** Id of the plugin that needs a newer SPI. */
    public static final String TOO_NEW = "from-the-future";

    private BrokenPluginsFolder() {
    }

    /** Fills {@code dir} (which must exist) and returns it. */
    public static Path create(Path dir) throws IOException {
        for (String builtIn : new String[] {"onnx-", "decoders-"}) {
            Path archive = TestHome.archive(builtIn);
            Files.copy(archive, dir.resolve(archive.getFileName()));
        }
        pluginFolder(dir.resolve("broken-plugin"), FAILING, ">=0.1.0");
        pluginFolder(dir.resolve("future-plugin"), TOO_NEW, ">=9.0.0");
        return dir;
    }

    private static void pluginFolder(Path folder, String id, String requires) throws IOException {
        String className = ThrowingPlugin.class.getName();
        Path classFile = folder.resolve("classes").resolve(className.replace('.', '/') + ".class");
        Files.createDirectories(classFile.getParent());
        try (InputStream in = ThrowingPlugin.class.getResourceAsStream(ThrowingPlugin.class.getSimpleName() + ".class")) {
            Files.copy(in, classFile);
        }
        Files.writeString(folder.resolve("plugin.properties"), """
                plugin.id=%s
                plugin.class=%s
                plugin.version=1.0.0
                plugin.provider=Sextant tests
                plugin.requires=%s
                """.formatted(id, className, requires));
    }
}
