package dev.sextant.host.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** How config record components are spelt in YAML, and suggestions for misspellings. */
public final class OptionNames {

    private OptionNames() {
    }

    /** {@code maxNewTokens} becomes {@code max-new-tokens}. */
    public static String kebab(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code TOP_K} becomes {@code top-k}. */
    public static String enumName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The known name closest to {@code given}, if one is close enough to be a likely typo. */
    public static Optional<String> closest(String given, Collection<String> known) {
        String normalGiven = normalise(given);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (normalise(candidate).equals(normalGiven)) {
                return Optional.of(candidate);
            }
            int d = distance(given, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, given.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static String normalise(String s) {
        return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
