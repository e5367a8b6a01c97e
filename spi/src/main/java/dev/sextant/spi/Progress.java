package dev.sextant.spi;

/**
 * Receives progress of long work (training a head, embedding a dataset, evaluating). Called from
 * the working thread; implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface Progress {

    /** Ignores every update. */
    Progress NONE = (stage, done, total) -> { };

    /**
     * Reports that {@code done} of {@code total} units of {@code stage} are finished.
     *
     * @param stage what is being done, e.g. {@code "embed tickets.csv"} or {@code "train topic"}
     * @param done units finished so far
     * @param total all units, or -1 when unknown
     */
    void update(String stage, long done, long total);
}
