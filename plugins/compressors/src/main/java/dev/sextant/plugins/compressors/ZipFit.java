package dev.sextant.plugins.compressors;

import java.nio.charset.StandardCharsets;

/**
 * ZIP-FIT's measure (Obbad et al. 2024, "ZIP-FIT: Embedding-Free Data Selection via
 * Compression-Based Alignment"): the normalised compression distance between two texts,
 *
 * <pre>NCD(x, y) = (C(xy) - min(C(x), C(y))) / max(C(x), C(y))</pre>
 *
 * where {@code C} is a compressed length in bytes and {@code xy} is x's UTF-8 bytes, one line
 * feed, then y's; similarity is {@code 1 - NCD}. NCD is about 0 for a text and itself and about 1
 * for unrelated texts; real compressors can push it a little above 1 (so similarity a little below
 * 0) and it is only roughly symmetric. {@link ZipFitSelector} scores a candidate by its mean
 * similarity to a set of targets.
 *
 * <p>Static helpers for callers that hold a codec; the host reaches the method through the SPI
 * ({@code zipfit} selector, {@link dev.sextant.spi.compress.Selector}).
 */
public final class ZipFit {

    /** The byte put between x and y in {@code C(xy)}. */
    static final byte SEPARATOR = '\n';

    private ZipFit() {
    }

    /** NCD from the three compressed lengths. */
    public static double ncd(int cx, int cy, int cxy) {
        int max = Math.max(cx, cy);
        if (max <= 0) {
            return 0;
        }
        return (cxy - Math.min(cx, cy)) / (double) max;
    }

    /** {@code 1 - NCD} from the three compressed lengths. */
    public static double similarity(int cx, int cy, int cxy) {
        return 1 - ncd(cx, cy, cxy);
    }

    /** NCD of two texts under a codec. */
    public static double ncd(ZipFitCodec codec, String x, String y) {
        byte[] bx = x.getBytes(StandardCharsets.UTF_8);
        byte[] by = y.getBytes(StandardCharsets.UTF_8);
        try (ZipFitCodec.Sizer sizer = codec.open()) {
            byte[] xy = joined(bx, by);
            return ncd(sizer.size(bx, bx.length), sizer.size(by, by.length), sizer.size(xy, xy.length));
        }
    }

    /** {@code 1 - NCD} of two texts under a codec. */
    public static double similarity(ZipFitCodec codec, String x, String y) {
        return 1 - ncd(codec, x, y);
    }

    /** x, the separator, then y. */
    static byte[] joined(byte[] x, byte[] y) {
        byte[] xy = new byte[x.length + 1 + y.length];
        System.arraycopy(x, 0, xy, 0, x.length);
        xy[x.length] = SEPARATOR;
        System.arraycopy(y, 0, xy, x.length + 1, y.length);
        return xy;
    }
}
