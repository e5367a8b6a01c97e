package dev.sextant.spi.head;

/** The kinds of prediction a head makes. */
public enum HeadTask {
    /** One label of a fixed set. */
    CLASSIFICATION,
    /** Any number of labels of a fixed set. */
    MULTI_LABEL,
    /** One real value. */
    REGRESSION;

    /** The YAML spelling, e.g. {@code multi-label}. */
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
