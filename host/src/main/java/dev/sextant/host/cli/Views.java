package dev.sextant.host.cli;

import dev.sextant.host.config.OptionDoc;
import dev.sextant.host.config.PipelineFile;
import dev.sextant.host.config.PipelineFileException;
import dev.sextant.host.config.Problem;
import dev.sextant.host.pipeline.Pipeline;
import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.pipeline.StepTiming;
import dev.sextant.host.plugin.InstalledType;
import dev.sextant.host.plugin.PluginHost;
import dev.sextant.host.plugin.PluginReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Renders host state and results as text for the command line and the shell. */
public final class Views {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Views() {
    }

    /** Pretty JSON of any result object. */
    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** The shared JSON mapper. */
    public static JsonMapper mapper() {
        return JSON;
    }

    /** One line per plugin; with {@code options}, every type's options too. */
    public static String plugins(PluginHost host, boolean options) {
        StringBuilder out = new StringBuilder();
        out.append("Plugins in ").append(host.pluginsDir()).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PLUGIN", "VERSION", "STATE", "TYPES / REASON"});
        for (PluginReport p : host.plugins()) {
            rows.add(new String[] {p.id(), p.version(), p.state(),
                p.ok() ? String.join(", ", p.types()) : p.reason()});
        }
        if (rows.size() == 1) {
            out.append("  (none found)\n");
        } else {
            out.append(table(rows));
        }
        if (options) {
            for (InstalledType type : host.types()) {
                out.append('\n').append(type.type()).append(" (").append(type.kind().yamlName())
                        .append(", plugin ").append(type.pluginId()).append("): ").append(type.description()).append('\n');
                List<OptionDoc> docs = OptionDoc.of(type.factory().configType());
                if (docs.isEmpty()) {
                    out.append("  no options\n");
                }
                for (OptionDoc doc : docs) {
                    out.append(option(doc));
                }
            }
        }
        return out.toString();
    }

    /** One option's documentation line. */
    public static String option(OptionDoc doc) {
        StringBuilder line = new StringBuilder("  ").append(doc.name()).append(" (").append(doc.type());
        if (!doc.unit().isEmpty()) {
            line.append(", ").append(doc.unit());
        }
        line.append(doc.required() ? ", required" : doc.defaultValue() != null
                ? ", default " + (doc.defaultValue().isEmpty() ? "\"\"" : doc.defaultValue()) : ", optional");
        line.append("): ").append(doc.description()).append('\n');
        return line.toString();
    }

    /** The pipelines of a loaded file, runnable or not. */
    public static String pipelines(PipelineSet set) {
        StringBuilder out = new StringBuilder();
        out.append("Pipelines in ").append(set.file().path()).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PIPELINE", "STEPS", "STATE", "DESCRIPTION / REASON"});
        for (var spec : set.file().pipelines().values()) {
            Pipeline pipeline = set.pipelines().get(spec.name());
            String steps = String.join(" -> ", spec.steps().stream().map(s -> s.type().name()).toList());
            if (pipeline != null) {
                rows.add(new String[] {spec.name(), steps, "ready", spec.description()});
            } else {
                rows.add(new String[] {spec.name(), steps, "unavailable", set.pipelineFailures().get(spec.name())});
            }
        }
        out.append(table(rows));
        for (Map.Entry<String, String> failure : set.componentFailures().entrySet()) {
            out.append("component ").append(failure.getKey()).append(" failed: ").append(failure.getValue())
                    .append('\n');
        }
        return out.toString();
    }

    /** The line for a pipeline file that validated. */
    public static String valid(String name, PipelineFile file) {
        return name + ": ok (" + file.components().size() + " components, " + file.pipelines().size()
                + " pipelines)\n";
    }

    /** Every problem of an invalid file, one {@code file:line:col: message} per line. */
    public static String problems(PipelineFileException e) {
        StringBuilder out = new StringBuilder();
        for (Problem problem : e.problems()) {
            out.append(problem.format()).append('\n');
        }
        return out.toString();
    }

    /** A short human summary of a run: timings per step. */
    public static String timings(PipelineResult result) {
        StringBuilder out = new StringBuilder();
        for (StepTiming timing : result.timings()) {
            out.append(timing.step()).append(' ').append(String.format(Locale.ROOT, "%.1f ms", timing.millis()))
                    .append("; ");
        }
        out.append(String.format(Locale.ROOT, "total %.1f ms", result.totalMillis()));
        return out.toString();
    }

    /** Left-aligned columns. */
    /** The text on one line, cut to {@code width} characters with "..." where it was cut. */
    public static String abbreviate(String text, int width) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= width ? flat : flat.substring(0, Math.max(0, width - 3)) + "...";
    }

    public static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c] == null ? 0 : row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns; c++) {
                String cell = row[c] == null ? "" : row[c];
                line.append(cell);
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - cell.length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
