package dev.sextant.host.shell;

import dev.sextant.host.LoadedPipelines;
import dev.sextant.host.SextantEngine;
import dev.sextant.host.cli.Views;
import dev.sextant.host.config.PipelineFileException;
import dev.sextant.host.pipeline.AttributionReport;
import dev.sextant.host.pipeline.CompressionReport;
import dev.sextant.host.pipeline.SelectionReport;
import dev.sextant.host.pipeline.PipelineHeads;
import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.RunContext;
import dev.sextant.host.render.HeadsText;
import dev.sextant.spi.Progress;
import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.head.TrainableHead;
import java.util.Map;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.render.AttributionAnsi;
import dev.sextant.host.render.CompressionText;
import dev.sextant.host.render.SelectionText;
import dev.sextant.host.render.TerminalColours;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.TokenListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Terminal;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * The shell's commands. Rendering is {@link Views}'s, as on the command line; a failure is printed
 * as one line and the shell goes on.
 *
 * <p>Not limited to the {@code shell} profile: Spring Shell finds command classes by scanning with
 * a fresh environment, where no profile is active, and would then miss the class. In the server the
 * bean exists but nothing runs it.
 */
@Component
public class SextantCommands {

    static final String GROUP = "Sextant";

    private final SextantEngine engine;
    private final LoadedPipelines loaded;
    // Absent in the server, where no command runs; a dumb one when the shell has no real terminal.
    private final ObjectProvider<Terminal> terminal;

    public SextantCommands(SextantEngine engine, LoadedPipelines loaded, ObjectProvider<Terminal> terminal) {
        this.engine = engine;
        this.loaded = loaded;
        this.terminal = terminal;
    }

    @Command(name = "plugins", group = GROUP, description = "List plugins, their state and component types.",
            help = "plugins [--options]: list plugins, their state and the component types they provide;"
                    + " with --options, every option of every type.")
    public void plugins(@Option(longName = "options", description = "also document every option") boolean options,
            CommandContext context) {
        print(context, Views.plugins(engine.plugins(), options));
    }

    @Command(name = "pipelines", group = GROUP, description = "List the pipelines of the loaded pipeline file.")
    public void pipelines(CommandContext context) {
        PipelineSet set = loaded.current();
        if (set == null) {
            print(context, invalidFile());
        } else {
            print(context, Views.pipelines(set));
        }
    }

    @Command(name = "run", group = GROUP, completionProvider = ShellConfiguration.PIPELINE_NAMES,
            description = "Run a pipeline on a text: run <pipeline> <text...>",
            help = "run <pipeline> <text...>: run a pipeline of the loaded file on the text (the rest of the line),"
                    + " print the output as it is generated, its attribution as a heatmap if the pipeline has an"
                    + " attribute step, then the timings. Tab completes pipeline names.")
    public void run(@Arguments List<String> words, CommandContext context) {
        PipelineSet set = loaded.current();
        if (set == null) {
            print(context, invalidFile());
            return;
        }
        if (words == null || words.isEmpty()) {
            print(context, "usage: run <pipeline> <text...>; pipelines: "
                    + String.join(", ", set.file().pipelines().keySet()) + "\n");
            return;
        }
        String text = String.join(" ", words.subList(1, words.size()));
        PrintWriter out = context.outputWriter();
        AtomicBoolean streamed = new AtomicBoolean();
        TokenListener listener = (row, token, piece) -> {
            streamed.set(true);
            out.print(piece);
            out.flush();
        };
        try {
            PipelineResult result = set.run(words.get(0), text, listener, RunLimits.DEFAULT);
            if (!streamed.get() && result.output() != null) {
                out.print(result.output());
            }
            String predictions = result.slots().get(RunContext.PREDICTIONS) instanceof Map<?, ?> byHead
                    ? HeadsText.predictions(cast(byHead)) : "";
            String compression = SelectionReport.in(result.slots()).map(SelectionText::render).orElse("")
                    + CompressionReport.in(result.slots()).map(report -> CompressionText.render(report, colour()))
                            .orElse("");
            String heatmap = compression + predictions + AttributionReport.in(result.slots())
                    .map(report -> new AttributionAnsi(colour(), AttributionAnsi.DEFAULT_ROWS).render(report))
                    .orElse("");
            print(context, (streamed.get() || result.output() != null ? "\n" : "") + heatmap + Views.timings(result)
                    + "\n");
        } catch (SextantException e) {
            print(context, (streamed.get() ? "\n" : "") + "error: " + e.getMessage() + "\n");
        }
    }

    @Command(name = "heads", group = GROUP, completionProvider = ShellConfiguration.HEADS,
            description = "Train or evaluate a pipeline's task heads: heads train|eval <pipeline> [--retrain]",
            help = "heads train <pipeline> [--retrain]: train the task heads of a pipeline's heads step (or load"
                    + " them from the cache), showing progress; heads eval <pipeline>: their held-out metrics and"
                    + " confusion matrices, from Tribuo's evaluators.")
    public void heads(@Option(longName = "retrain", description = "train even if the cache holds a model")
            boolean retrain, @Arguments List<String> words, CommandContext context) {
        PipelineSet set = loaded.current();
        if (set == null) {
            print(context, invalidFile());
            return;
        }
        if (words == null || words.size() != 2 || !List.of("train", "eval").contains(words.get(0))) {
            print(context, "usage: heads train|eval <pipeline> [--retrain]; pipelines with heads: "
                    + String.join(", ", PipelineHeads.withHeads(set)) + "\n");
            return;
        }
        PrintWriter out = context.outputWriter();
        Progress progress = (stage, done, total) -> {
            if (done == 0 || done == total) {
                out.println("heads: " + stage + " " + done + (total >= 0 ? "/" + total : ""));
                out.flush();
            }
        };
        try {
            Map<String, TrainableHead> heads = PipelineHeads.of(set, words.get(1));
            print(context, words.get(0).equals("train")
                    ? HeadsText.trainings(PipelineHeads.train(heads, retrain, progress))
                    : HeadsText.evaluations(PipelineHeads.evaluate(heads, progress)));
        } catch (SextantException e) {
            print(context, "error: " + e.getMessage() + "\n");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Prediction> cast(Map<?, ?> predictions) {
        return (Map<String, Prediction>) predictions;
    }

    @Command(name = "validate", group = GROUP, completionProvider = ShellConfiguration.PIPELINE_FILES,
            description = "Check a pipeline file: validate <file>",
            help = "validate <file>: check a pipeline file without loading it; problems are printed as"
                    + " file:line:col: message. Tab completes file names.")
    public void validate(@Arguments List<String> files, CommandContext context) {
        if (files == null || files.isEmpty()) {
            print(context, "usage: validate <file>\n");
            return;
        }
        for (String name : files) {
            try {
                print(context, Views.valid(name, engine.validate(Path.of(name))));
            } catch (PipelineFileException e) {
                print(context, Views.problems(e));
            }
        }
    }

    @Command(name = "load", group = GROUP, completionProvider = ShellConfiguration.PIPELINE_FILES,
            description = "Serve another pipeline file: load <file>",
            help = "load <file>: validate a pipeline file and, if it is valid, serve its pipelines instead of the"
                    + " current ones. Tab completes file names.")
    public void load(@Arguments List<String> files, CommandContext context) {
        if (files == null || files.size() != 1) {
            print(context, "usage: load <file>\n");
            return;
        }
        List<String> problems = loaded.load(Path.of(files.get(0)));
        if (problems.isEmpty()) {
            print(context, Views.pipelines(loaded.current()));
            return;
        }
        StringBuilder out = new StringBuilder();
        problems.forEach(p -> out.append(p).append('\n'));
        out.append(loaded.current() != null ? "not loaded; still serving " + loaded.path() : "no pipelines loaded")
                .append('\n');
        print(context, out.toString());
    }

    private boolean colour() {
        Terminal t = terminal.getIfAvailable();
        return TerminalColours.wanted(t != null && !t.getType().startsWith(Terminal.TYPE_DUMB), System.getenv());
    }

    private String invalidFile() {
        return invalidFile(loaded);
    }

    /** Why no pipeline can run: the served file's problems. */
    static String invalidFile(LoadedPipelines loaded) {
        PipelineFileException problems = loaded.problems();
        return "the pipeline file " + loaded.path() + " is invalid; fix it and load it again (load <file>):\n"
                + (problems == null ? "" : Views.problems(problems));
    }

    private static void print(CommandContext context, String text) {
        PrintWriter out = context.outputWriter();
        out.print(text);
        out.flush();
    }
}
