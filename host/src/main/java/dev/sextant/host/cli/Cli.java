package dev.sextant.host.cli;

import dev.sextant.host.HostPaths;
import dev.sextant.host.SextantEngine;
import dev.sextant.host.config.PipelineFile;
import dev.sextant.host.config.PipelineFileException;
import dev.sextant.host.pipeline.AttributeStep;
import dev.sextant.host.pipeline.AttributionReport;
import dev.sextant.host.pipeline.CorpusFile;
import dev.sextant.host.pipeline.CompressionReport;
import dev.sextant.host.pipeline.SelectionReport;
import dev.sextant.host.pipeline.PipelineHeads;
import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.RunContext;
import dev.sextant.host.render.HeadsText;
import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.head.TrainableHead;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.pipeline.PipelineUnavailableException;
import dev.sextant.host.pipeline.UnknownPipelineException;
import dev.sextant.host.render.AttributionAnsi;
import dev.sextant.host.render.AttributionHtml;
import dev.sextant.host.render.CompressionText;
import dev.sextant.host.render.SelectionText;
import dev.sextant.host.render.TerminalColours;
import dev.sextant.spi.CancelledException;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Selection;
import dev.sextant.spi.compress.SelectionRequest;
import dev.sextant.spi.compress.Selector;
import dev.sextant.spi.decode.TokenListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one-shot command line: {@code run}, {@code validate}, {@code plugins}, {@code pipelines},
 * {@code eval}. Every failure is one line on standard error and a documented exit code; no stack
 * traces reach the user.
 *
 * <p>Spring Shell 4.0's non-interactive runner joins arguments with spaces (losing quoting) and
 * drops exit codes, so one-shot commands are dispatched here; the interactive shell uses Spring
 * Shell over the same engine and views.
 */
public final class Cli {

    static final String USAGE = """
            Usage: sextant <command> [options]

              run <pipeline> --input <text|-> [--json] [--html <file>]
                                                run a pipeline and print its output (and its attribution as a
                                                heatmap); --json: the whole result; --html: write the
                                                attribution as a standalone HTML page
              validate <file>...                check pipeline files; problems as file:line:col: message
              plugins [--options]               list plugins, their state and component types (and options)
              pipelines                         list the pipelines of the pipeline file
              eval <suite> [--pipeline <name>] [--limit <n>]
                                                score a pipeline on an evaluation set (suites: facts,
                                                attribution, heads, compression)
              heads train <pipeline> [--retrain]
                                                train a pipeline's task heads (or load them from the cache)
              heads eval <pipeline>             held-out metrics of a pipeline's task heads
              select <selector> --targets <file> --corpus <file> [--top-k N] [--threshold X]
                     [--field text] [--out <file>]
                                                rank a corpus by likeness to the targets with a selector
                                                of the pipeline file (e.g. zipfit); --out writes the chosen
                                                lines
              serve [--port <n>]                start the REST API (and web page) on 127.0.0.1
              shell                             start the interactive shell

            Common options:
              --pipelines <file>    pipeline file (default examples/pipelines/default.yaml)
              --plugins-dir <dir>   plugins folder (default target/plugins)

            Exit codes: 0 ok, 1 unexpected error, 2 invalid usage/file/input, 3 pipeline cannot run.
            """;

    private final PrintStream out;
    private final PrintStream err;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs one command and returns its exit code. */
    public int execute(String[] args) {
        if (args.length == 0 || Set.of("help", "--help", "-h").contains(args[0])) {
            out.print(USAGE);
            return args.length == 0 ? ExitCodes.INVALID : ExitCodes.OK;
        }
        String command = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (command) {
                case "run" -> run(rest);
                case "validate" -> validate(rest);
                case "plugins" -> plugins(rest);
                case "pipelines" -> pipelines(rest);
                case "eval" -> eval(rest);
                case "heads" -> heads(rest);
                case "select" -> select(rest);
                default -> throw new UsageException("unknown command '" + command
                        + "'; commands: run, validate, plugins, pipelines, eval, heads, select, serve, shell (see sextant help)");
            };
        } catch (UsageException e) {
            err.println("sextant: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PipelineFileException e) {
            err.print(Views.problems(e));
            return ExitCodes.INVALID;
        } catch (InputException | UnknownPipelineException | ConfigException e) {
            err.println("sextant: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PipelineUnavailableException | CancelledException e) {
            err.println("sextant: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (SextantException e) {
            err.println("sextant: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (IOException e) {
            err.println("sextant: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (RuntimeException e) {
            err.println("sextant: unexpected error: " + e + " (please report it with the command you ran)");
            return ExitCodes.ERROR;
        }
    }

    private static final Set<String> COMMON = Set.of("pipelines", "plugins-dir");

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> all = new java.util.HashSet<>(base);
        all.addAll(List.of(more));
        return all;
    }

    private SextantEngine engine(CommandLine line) {
        String dir = line.option("plugins-dir", null);
        return SextantEngine.start(dir != null ? Path.of(dir) : HostPaths.pluginsDir(), Map.of());
    }

    private static Path pipelineFile(CommandLine line) {
        String file = line.option("pipelines", null);
        return file != null ? Path.of(file) : HostPaths.defaultPipelines();
    }

    private int run(List<String> args) throws UsageException, SextantException, IOException {
        CommandLine line = CommandLine.parse(args, with(COMMON, "input", "html"), Set.of("json"));
        if (line.positionals().size() != 1) {
            throw new UsageException("run needs one pipeline name, e.g. sextant run story --input \"once upon\"");
        }
        String input = line.option("input", null);
        if (input == null) {
            throw new UsageException("run needs --input <text> (or --input - to read standard input)");
        }
        String htmlName = line.option("html", null);
        OutputFile html = htmlName == null ? null : OutputFile.checked("--html", htmlName);
        if (input.equals("-")) {
            input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String name = line.positionals().get(0);
        boolean json = line.flag("json");
        boolean terminal = System.console() != null;
        boolean stream = !json && terminal;
        try (SextantEngine engine = engine(line); PipelineSet set = engine.load(pipelineFile(line))) {
            if (html != null) {
                AttributeStep.requireIn(set.file(), name);
            }
            TokenListener listener = stream ? (row, token, text) -> {
                out.print(text);
                out.flush();
            } : TokenListener.NONE;
            PipelineResult result = set.run(name, input, listener, RunLimits.DEFAULT);
            Optional<AttributionReport> attribution = AttributionReport.in(result.slots());
            if (json) {
                out.println(Views.json(result));
            } else {
                if (stream || result.output() != null) {
                    out.println(stream ? "" : result.output());
                }
                if (result.slots().get(RunContext.PREDICTIONS) instanceof Map<?, ?> predictions) {
                    @SuppressWarnings("unchecked")
                    Map<String, Prediction> byHead = (Map<String, Prediction>) predictions;
                    out.print(HeadsText.predictions(byHead));
                }
                boolean colour = TerminalColours.wanted(terminal, System.getenv());
                SelectionReport.in(result.slots()).ifPresent(report -> out.print(SelectionText.render(report)));
                CompressionReport.in(result.slots()).ifPresent(report -> out.print(
                        CompressionText.render(report, colour)));
                attribution.ifPresent(report -> out.print(
                        new AttributionAnsi(colour, AttributionAnsi.DEFAULT_ROWS).render(report)));
            }
            if (html != null && attribution.isPresent()) {
                html.write(AttributionHtml.page(name, attribution.get()));
                err.println("sextant: wrote the attribution page " + html.path());
            }
        }
        return ExitCodes.OK;
    }

    private int validate(List<String> args) throws UsageException, SextantException, IOException {
        CommandLine line = CommandLine.parse(args, Set.of("plugins-dir"), Set.of());
        if (line.positionals().isEmpty()) {
            throw new UsageException("validate needs one or more pipeline files");
        }
        int code = ExitCodes.OK;
        try (SextantEngine engine = engine(line)) {
            for (String name : line.positionals()) {
                // Components are created too: a file is valid only if every pipeline can run.
                try (PipelineSet set = engine.load(Path.of(name))) {
                    if (!set.creationProblems().isEmpty()) {
                        throw new PipelineFileException(set.creationProblems());
                    }
                    PipelineFile file = set.file();
                    out.print(Views.valid(name, file));
                } catch (PipelineFileException e) {
                    err.print(Views.problems(e));
                    code = ExitCodes.INVALID;
                }
            }
        }
        return code;
    }

    private int plugins(List<String> args) throws UsageException, SextantException, IOException {
        CommandLine line = CommandLine.parse(args, Set.of("plugins-dir"), Set.of("options"));
        try (SextantEngine engine = engine(line)) {
            out.print(Views.plugins(engine.plugins(), line.flag("options")));
        }
        return ExitCodes.OK;
    }

    private int pipelines(List<String> args) throws UsageException, SextantException, IOException {
        CommandLine line = CommandLine.parse(args, COMMON, Set.of());
        try (SextantEngine engine = engine(line); PipelineSet set = engine.load(pipelineFile(line))) {
            out.print(Views.pipelines(set));
        }
        return ExitCodes.OK;
    }

    private int eval(List<String> args) throws UsageException, SextantException, IOException {
        CommandLine line = CommandLine.parse(args, with(COMMON, "pipeline", "limit", "file"), Set.of());
        if (line.positionals().size() != 1) {
            throw new UsageException("eval needs one suite name; suites: " + String.join(", ", EvalSuite.names()));
        }
        EvalSuite suite = EvalSuite.named(line.positionals().get(0));
        if (!suite.readsFile() && (line.option("file", null) != null || line.option("limit", null) != null)) {
            throw new UsageException("eval " + suite.name() + " reads no evaluation file, so it takes no --file or"
                    + " --limit: the heads name their own data and held-out share");
        }
        String pipeline = line.option("pipeline", suite.defaultPipeline());
        Path data = line.option("file", null) != null ? Path.of(line.option("file", null))
                : HostPaths.evalDir().resolve(suite.fileName());
        int limit = line.intOption("limit", Integer.MAX_VALUE);
        try (SextantEngine engine = engine(line); PipelineSet set = engine.load(pipelineFile(line))) {
            EvalReport report = suite.evaluate(set, pipeline, data, limit, err);
            out.print(report.render());
        }
        return ExitCodes.OK;
    }

    private int heads(List<String> args) throws UsageException, SextantException, IOException {
        CommandLine line = CommandLine.parse(args, COMMON, Set.of("retrain"));
        List<String> words = line.positionals();
        if (words.size() != 2 || !Set.of("train", "eval").contains(words.get(0))) {
            throw new UsageException("heads needs train or eval and a pipeline name, e.g. sextant heads train tickets");
        }
        if (line.flag("retrain") && words.get(0).equals("eval")) {
            throw new UsageException("--retrain goes with heads train");
        }
        try (SextantEngine engine = engine(line); PipelineSet set = engine.load(pipelineFile(line))) {
            Map<String, TrainableHead> heads = PipelineHeads.of(set, words.get(1));
            ProgressPrinter progress = new ProgressPrinter(err, "heads");
            if (words.get(0).equals("train")) {
                out.print(HeadsText.trainings(PipelineHeads.train(heads, line.flag("retrain"), progress)));
            } else {
                out.print(HeadsText.evaluations(PipelineHeads.evaluate(heads, progress)));
            }
        }
        return ExitCodes.OK;
    }

    private int select(List<String> args) throws UsageException, SextantException, IOException {
        CommandLine line = CommandLine.parse(args, with(COMMON, "targets", "corpus", "field", "top-k", "threshold",
                "out"), Set.of());
        if (line.positionals().size() != 1 || line.option("targets", null) == null
                || line.option("corpus", null) == null) {
            throw new UsageException("select needs a selector component and --targets and --corpus files, e.g."
                    + " sextant select zipfit --targets examples.jsonl --corpus pool.jsonl --top-k 5");
        }
        String field = line.option("field", "text");
        int topK = line.intOption("top-k", 10);
        Double threshold = line.doubleOption("threshold");
        String outName = line.option("out", null);
        OutputFile file = outName == null ? null : OutputFile.checked("--out", outName);
        List<CorpusFile.Entry> targets = CorpusFile.read(Path.of(line.option("targets", null)), field);
        List<CorpusFile.Entry> corpus = CorpusFile.read(Path.of(line.option("corpus", null)), field);
        String name = line.positionals().get(0);
        try (SextantEngine engine = engine(line); PipelineSet set = engine.load(pipelineFile(line))) {
            if (!(set.component(name) instanceof Selector selector)) {
                throw new InputException("the pipeline file has no selector component '" + name + "'"
                        + (set.componentFailures().containsKey(name) ? ": " + set.componentFailures().get(name) : ""));
            }
            long start = System.nanoTime();
            Selection selection = selector.select(new SelectionRequest(CorpusFile.texts(targets),
                    CorpusFile.texts(corpus), topK, threshold, RunLimits.DEFAULT));
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String[]> rows = new java.util.ArrayList<>();
            rows.add(new String[] {"RANK", "LINE", "SCORE", "TEXT"});
            StringBuilder chosen = new StringBuilder();
            int rank = 1;
            for (Selection.Selected s : selection.selected()) {
                CorpusFile.Entry e = corpus.get(s.index());
                rows.add(new String[] {Integer.toString(rank++), Integer.toString(e.line()),
                        String.format(java.util.Locale.ROOT, "%.4f", s.score()), Views.abbreviate(e.text(), 70)});
                chosen.append(e.raw()).append('\n');
            }
            out.print(Views.table(rows));
            err.printf(java.util.Locale.ROOT, "sextant: scored %d candidates against %d targets in %.2f s (%.0f/s)%n",
                    selection.scored(), targets.size(), seconds, selection.scored() / Math.max(seconds, 1e-9));
            if (file != null) {
                file.write(chosen.toString());
                err.println("sextant: wrote " + selection.selected().size() + " lines to " + file.path());
            }
        }
        return ExitCodes.OK;
    }
}
