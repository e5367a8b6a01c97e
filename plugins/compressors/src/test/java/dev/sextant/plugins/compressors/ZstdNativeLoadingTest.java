package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * zstd-jni is bundled in the plugin archive, so it is loaded by the plugin's own classloader, not
 * the application's. zstd-jni extracts its native library to a fresh temporary file for each
 * classloader that loads it, so (unlike DJL's fixed path) a second classloader can load it too.
 * These tests load zipfit's codec and zstd-jni in isolated child-first classloaders, as PF4J's
 * plugin classloader does; the host's plugin integration test must still check it in PF4J itself.
 */
class ZstdNativeLoadingTest {

    @Test
    void zstdLoadsOnTheTestClasspath() throws Exception {
        ZipFitCodec zstd = ZipFitCodec.of("zstd", 3);
        byte[] text = "mia lives in oslo . mia lives in oslo .".getBytes(StandardCharsets.UTF_8);
        assertThat(zstd.size(text)).isPositive().isEqualTo(Zstd.compress(text, 3).length);
        assertThat(com.github.luben.zstd.util.Native.isLoaded()).isTrue();
    }

    @Test
    void zstdLoadsInTwoIsolatedClassloadersBesideTheApplications() throws Exception {
        // the application classloader has loaded the native library already (first test or here)
        ZipFitCodec.of("zstd", 3).size(new byte[] {1, 2, 3});
        URL plugin = ZipFitCodec.class.getProtectionDomain().getCodeSource().getLocation();
        URL zstdJar = Zstd.class.getProtectionDomain().getCodeSource().getLocation();
        URL spi = dev.sextant.spi.ConfigException.class.getProtectionDomain().getCodeSource().getLocation();
        int expected = ZipFitCodec.of("zstd", 3).size("some text some text".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2; i++) {
            // parent: the platform loader, so neither zipfit nor zstd-jni can come from the application's
            try (URLClassLoader loader = new URLClassLoader(new URL[] {plugin, zstdJar, spi},
                    ClassLoader.getPlatformClassLoader())) {
                Class<?> codecClass = loader.loadClass(ZipFitCodec.class.getName());
                assertThat(codecClass.getClassLoader()).isSameAs(loader);
                assertThat(loader.loadClass(Zstd.class.getName()).getClassLoader()).isSameAs(loader);
                Object codec = codecClass.getMethod("of", String.class, Integer.class).invoke(null, "zstd", 3);
                Method size = codecClass.getMethod("size", byte[].class);
                assertThat(size.invoke(codec, (Object) "some text some text".getBytes(StandardCharsets.UTF_8)))
                        .isEqualTo(expected);
                Class<?> nativeClass = loader.loadClass("com.github.luben.zstd.util.Native");
                assertThat(nativeClass.getMethod("isLoaded").invoke(null)).isEqualTo(true);
            }
        }
    }
}
