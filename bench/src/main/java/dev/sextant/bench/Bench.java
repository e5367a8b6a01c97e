package dev.sextant.bench;

import java.io.PrintStream;

/**
 * Entry point of {@code bench/run.sh}: runs the named benchmarks and prints, for each, a table
 * ending with a {@code RESULT <name> ratio=<sextant/baseline> key=value ...} line.
 *
 * <p>Exit status: 0 done, 1 a benchmark failed or compared different work, 2 bad command line.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        int status = 0;
        for (String name : options.benchmarks()) {
            try {
                boolean ok = switch (name) {
                    case GreedyLoopBench.NAME -> new GreedyLoopBench(options, out).run();
                    case DecodeOverheadBench.NAME -> new DecodeOverheadBench(options, out).run();
                    case SpeculativeBench.NAME -> new SpeculativeBench(options, out).run();
                    case ReagentBench.NAME -> new ReagentBench(options, out).run();
                    case HeadsBench.NAME -> new HeadsBench(options, out).run();
                    case CompressionBench.NAME -> new CompressionBench(options, out).run();
                    case ConstraintsBench.NAME -> new ConstraintsBench(options, out).run();
                    default -> throw new IllegalStateException("no runner for " + name);
                };
                if (!ok) {
                    System.err.println("bench: " + name + " compared different outputs; its ratio means nothing");
                    status = 1;
                }
            } catch (Exception e) {
                System.err.println("bench: " + name + " failed: " + e);
                e.printStackTrace();
                status = 1;
            }
        }
        out.flush();
        System.exit(status);
    }
}
