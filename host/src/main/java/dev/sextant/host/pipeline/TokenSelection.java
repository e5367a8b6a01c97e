package dev.sextant.host.pipeline;

/**
 * Which generated tokens an {@code attribute} step explains, written in YAML as {@code all}, one
 * index ({@code 0} is the first generated token) or a span {@code 0-3} (both ends included, as
 * people read a range).
 *
 * @param from the first index (0-based)
 * @param to the index after the last, or -1 for every token to the end
 */
public record TokenSelection(int from, int to) {

    /** Every generated token. */
    public static final TokenSelection ALL = new TokenSelection(0, -1);

    public TokenSelection {
        if (from < 0 || (to != -1 && to <= from)) {
            throw new IllegalArgumentException("bad token selection " + from + ".." + to);
        }
    }

    /**
     * Reads the YAML form.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static TokenSelection parse(String text) {
        String value = text == null ? "" : text.strip();
        if (value.equals("all")) {
            return ALL;
        }
        try {
            int dash = value.indexOf('-');
            if (dash < 0) {
                int index = Integer.parseInt(value);
                if (index >= 0) {
                    return new TokenSelection(index, index + 1);
                }
            } else if (dash > 0) {
                int first = Integer.parseInt(value.substring(0, dash).strip());
                int last = Integer.parseInt(value.substring(dash + 1).strip());
                if (first >= 0 && last >= first) {
                    return new TokenSelection(first, last + 1);
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the forms that are accepted
        }
        throw new IllegalArgumentException("must be all, a generated token's index like 0, or a span like 0-3"
                + " (first and last index, both included, first <= last), got '" + text + "'");
    }

    /** Whether this selects every token. */
    public boolean isAll() {
        return to == -1;
    }

    /** The index after the last selected token among {@code count} tokens. */
    public int end(int count) {
        return to == -1 ? count : Math.min(to, count);
    }

    @Override
    public String toString() {
        return isAll() ? "all" : to == from + 1 ? Integer.toString(from) : from + "-" + (to - 1);
    }
}
