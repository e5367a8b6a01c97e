package dev.sextant.plugins.compressors;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.sextant.spi.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * The compressor whose output length {@code C(x)} stands in for a text's information content in
 * {@code zipfit}: {@code gzip} (deflate from {@code java.util.zip}, counted as a gzip member) or
 * {@code zstd} (zstd-jni, one frame). Lengths are exact and deterministic for a codec and level:
 * the same bytes always give the same length, on any thread.
 *
 * <p>A codec is immutable and shared; each thread measures through its own {@link Sizer}, which
 * holds native memory and must be closed.
 *
 * @param name {@code gzip} or {@code zstd}
 * @param level the compression level
 */
public record ZipFitCodec(String name, int level) {

    public ZipFitCodec {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown codec '" + name + "'; choose one of " + NAMES);
        }
    }

    /** The codec names the {@code codec} option accepts. */
    public static final List<String> NAMES = List.of("gzip", "zstd");

    /**
     * Bytes a gzip member adds around its deflate stream: a 10-byte header (no file name, no
     * comment, as {@link java.util.zip.GZIPOutputStream} and Python's {@code gzip.compress} write
     * it) and an 8-byte trailer (CRC-32, length).
     */
    static final int GZIP_FRAMING = 18;

    /** Deflate's lowest and highest levels (0, storing without compression, is refused). */
    static final int GZIP_MIN = 1;
    static final int GZIP_MAX = 9;

    /** The level used when none is given: 9 for gzip (Python's {@code gzip.compress}), 3 for zstd (its own). */
    public static int defaultLevel(String name) {
        return "zstd".equals(name) ? 3 : 9;
    }

    /**
     * Checks a codec and level from config.
     *
     * @param name the {@code codec} option
     * @param level the {@code level} option, or {@code null} for the codec's default
     * @throws ConfigException for an unknown codec, a level out of the codec's range, or (zstd) a
     *     native library that cannot be loaded
     */
    public static ZipFitCodec of(String name, Integer level) throws ConfigException {
        String codec = name == null ? "gzip" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(codec)) {
            throw new ConfigException("codec", "unknown codec '" + name + "'; choose one of " + NAMES);
        }
        int chosen = level == null ? defaultLevel(codec) : level;
        if (codec.equals("gzip")) {
            if (chosen < GZIP_MIN || chosen > GZIP_MAX) {
                throw new ConfigException("level", "gzip levels run from " + GZIP_MIN + " to " + GZIP_MAX + ", got "
                        + chosen + " (9, the default, compresses best)");
            }
            return new ZipFitCodec(codec, chosen);
        }
        int min;
        int max;
        try {
            min = Zstd.minCompressionLevel();
            max = Zstd.maxCompressionLevel();
        } catch (LinkageError e) {
            throw new ConfigException("codec", "the zstd native library (zstd-jni) could not be loaded on this"
                    + " platform: " + e + "; use codec: gzip", e);
        }
        if (chosen == 0 || chosen < min || chosen > max) {
            throw new ConfigException("level", "zstd levels run from " + min + " to " + max + " except 0, got "
                    + chosen + " (3 is zstd's default; 19 and up are slow)");
        }
        return new ZipFitCodec(codec, chosen);
    }

    /** Opens a sizer for the calling thread; close it when done. */
    public Sizer open() {
        return name.equals("zstd") ? new ZstdSizer(level) : new GzipSizer(level);
    }

    /** The compressed length of a whole text's UTF-8 bytes (opens and closes a sizer). */
    public int size(byte[] data) {
        try (Sizer sizer = open()) {
            return sizer.size(data, data.length);
        }
    }

    /** Measures compressed lengths on one thread. Not thread-safe. */
    public interface Sizer extends AutoCloseable {

        /** The compressed length of {@code data[0, length)}, in bytes. */
        int size(byte[] data, int length);

        @Override
        void close();
    }

    /** Deflate at a fixed level; the length is that of a gzip member. */
    private static final class GzipSizer implements Sizer {

        private final Deflater deflater;
        private final byte[] out = new byte[8192];

        GzipSizer(int level) {
            deflater = new Deflater(level, true);
        }

        @Override
        public int size(byte[] data, int length) {
            deflater.reset();
            deflater.setInput(data, 0, length);
            deflater.finish();
            int total = 0;
            while (!deflater.finished()) {
                total += deflater.deflate(out, 0, out.length);
            }
            return total + GZIP_FRAMING;
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    /** One zstd frame per call, from a reused context (parameters kept, session reset per call). */
    private static final class ZstdSizer implements Sizer {

        private final ZstdCompressCtx context;
        private byte[] out = new byte[0];

        ZstdSizer(int level) {
            context = new ZstdCompressCtx();
            context.setLevel(level);
        }

        @Override
        public int size(byte[] data, int length) {
            int bound = (int) Math.min(Integer.MAX_VALUE - 8, Zstd.compressBound(length));
            if (out.length < bound) {
                out = Arrays.copyOf(out, Math.max(bound, out.length * 2));
            }
            return context.compressByteArray(out, 0, out.length, data, 0, length);
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
