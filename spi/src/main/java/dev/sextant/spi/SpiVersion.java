package dev.sextant.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this SPI. Plugins declare the range they need in their descriptor
 * ({@code plugin.requires}, e.g. {@code >=0.1.0 & <0.2.0}); the host refuses a plugin whose range
 * does not contain this version, with a message naming both.
 */
public final class SpiVersion {

    /** The SPI version this artefact implements, e.g. {@code 0.1.0}. */
    public static final String VERSION = readVersion();

    private SpiVersion() {
    }

    private static String readVersion() {
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi.properties")) {
            if (in == null) {
                throw new IllegalStateException("spi.properties is missing from the SPI jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
