package dev.sextant.host.cli;

import dev.sextant.spi.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints progress of long work as lines ({@code heads: embed tickets.csv 320/900}): at the start
 * and end of a stage, and between them at most every two seconds, so a log stays readable. A
 * one-step stage prints one line when it starts.
 */
public final class ProgressPrinter implements Progress {

    private static final long INTERVAL_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final String prefix;
    private String stage;
    private long lastPrinted;

    public ProgressPrinter(PrintStream out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    @Override
    public synchronized void update(String stage, long done, long total) {
        long now = System.nanoTime();
        if (total == 1) {
            // a one-step stage (train, export): its start says enough; the next line shows it ended
            if (done == 0) {
                this.stage = stage;
                lastPrinted = now;
                out.printf(Locale.ROOT, "%s: %s ...%n", prefix, stage);
                out.flush();
            }
            return;
        }
        boolean edge = !stage.equals(this.stage) || done == 0 || (total >= 0 && done >= total);
        if (!edge && now - lastPrinted < INTERVAL_NANOS) {
            return;
        }
        this.stage = stage;
        lastPrinted = now;
        if (total < 0) {
            out.printf(Locale.ROOT, "%s: %s %d%n", prefix, stage, done);
        } else {
            out.printf(Locale.ROOT, "%s: %s %d/%d%n", prefix, stage, done, total);
        }
        out.flush();
    }
}
