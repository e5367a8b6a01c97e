package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import java.util.Map;

/**
 * The string formats JSON Schema names, as languages of values this engine writes: each a subset of
 * what the format allows (dates only with days every month has or the month's own last day, February to
 * the 28th; times in UTC or with an offset up to 18 hours; a plain e-mail local part and a few
 * well-known top-level domains, as validators check them against the registry's list; at most four
 * labels in a domain, host names of letters, digits and single hyphens; bounded everywhere), so validators that check the
 * format accept every one.
 */
final class Formats {

    private static final String DATE = "\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)"
            + "|02-(0[1-9]|1\\d|2[0-8]))";
    // offsets within +-18:00, the range java.time (and validators built on it) accepts
    private static final String TIME = "([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,6})?(Z|[+-](0\\d|1[0-7]):[0-5]\\d"
            + "|[+-]18:00)";
    private static final Map<String, String> PATTERNS = Map.of(
            "date", DATE,
            "time", TIME,
            "date-time", DATE + "T" + TIME,
            "email", "[a-z0-9]{1,12}([._+-][a-z0-9]{1,12}){0,3}@[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?"
                    + "(\\.[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?){0,3}\\.(com|org|net|edu|io|dev|no|fr|de|jp)",
            "uuid", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "ipv4", "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)",
            // labels of letters and digits joined by single hyphens (no "--", which IDNA reserves), the last
            // starting with a letter (an all-digit top label reads as an address)
            "hostname", "([a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}\\.){0,3}[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,10}){0,2}",
            "uri", "[a-z][a-z0-9+.-]{0,15}://[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?){0,3}"
                    + "(/[a-zA-Z0-9._~-]{0,30}){0,8}");

    /** Each format's automaton, minimized once: some formats take tens of milliseconds to build. */
    private static final Map<String, Automaton> BUILT = new java.util.concurrent.ConcurrentHashMap<>();

    private Formats() {
    }

    static Automaton of(String format, String pointer) throws SchemaException {
        String pattern = PATTERNS.get(format);
        if (pattern == null) {
            throw new SchemaException(pointer, "format '" + format + "' is not supported; supported: "
                    + String.join(", ", new java.util.TreeSet<>(PATTERNS.keySet())));
        }
        return BUILT.computeIfAbsent(format, f -> {
            try {
                Automaton a = EcmaRegex.parse(pattern);
                Minimizer.minimize(a);
                return a;
            } catch (RegexSyntaxException e) {
                throw new IllegalStateException("format " + format + ": " + e.getMessage(), e);
            }
        }).clone();
    }
}
