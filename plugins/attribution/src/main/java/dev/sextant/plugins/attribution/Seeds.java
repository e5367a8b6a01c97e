package dev.sextant.plugins.attribution;

import java.util.SplittableRandom;

/**
 * Independent random streams named by integers (seed, row, probe, purpose), so that a probe's draws
 * never depend on how many other probes share its batch or when they stop.
 */
final class Seeds {

    private Seeds() {
    }

    static SplittableRandom stream(long seed, long... parts) {
        long h = mix(seed);
        for (long part : parts) {
            h = mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
        }
        return new SplittableRandom(h);
    }

    /** The SplitMix64 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
