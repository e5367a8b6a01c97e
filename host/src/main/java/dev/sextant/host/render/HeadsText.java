package dev.sextant.host.render;

import dev.sextant.host.cli.Views;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain-text views of head predictions, trainings and evaluations, for the command line and the shell. */
public final class HeadsText {

    /** Metrics shown per task, in this order; others follow. */
    private static final Map<HeadTask, List<String>> MAIN_METRICS = Map.of(
            HeadTask.CLASSIFICATION, List.of("accuracy", "macro_f1", "micro_f1"),
            HeadTask.MULTI_LABEL, List.of("macro_f1", "micro_f1", "jaccard"),
            HeadTask.REGRESSION, List.of("rmse", "mae", "r2"));

    private HeadsText() {
    }

    /** One line per head: the prediction and the runner-up scores. */
    public static String predictions(Map<String, Prediction> predictions) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HEAD", "PREDICTION", "SCORES"});
        predictions.forEach((head, p) -> rows.add(new String[] {head, shown(p), topScores(p, 3)}));
        return Views.table(rows);
    }

    private static String shown(Prediction p) {
        if (p.label() == null) {
            return String.format(Locale.ROOT, "%.3f", p.value());
        }
        return p.label().isEmpty() ? "(no label)" : p.label();
    }

    private static String topScores(Prediction p, int count) {
        return p.scores().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(count)
                .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** One line per trained (or loaded) head. */
    public static String trainings(List<HeadTraining> trainings) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HEAD", "TASK", "TRAINER", "ROWS", "SOURCE", "SECONDS", "RUNTIME", "CACHE KEY"});
        for (HeadTraining t : trainings) {
            rows.add(new String[] {t.head(), t.task().yamlName(), t.trainer(), Integer.toString(t.rows()),
                    t.fromCache() ? "cache" : "trained", String.format(Locale.ROOT, "%.1f", t.seconds()), t.runtime(),
                    t.cacheKey().length() > 12 ? t.cacheKey().substring(0, 12) : t.cacheKey()});
        }
        return Views.table(rows);
    }

    /** A summary table of evaluations, then each classification head's confusion matrix. */
    public static String evaluations(List<HeadEvaluation> evaluations) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HEAD", "TASK", "ROWS", "METRICS", "HELD-OUT DATA"});
        for (HeadEvaluation e : evaluations) {
            rows.add(new String[] {e.head(), e.task().yamlName(), Integer.toString(e.rows()), metrics(e), e.data()});
        }
        StringBuilder out = new StringBuilder(Views.table(rows));
        for (HeadEvaluation e : evaluations) {
            if (e.confusion().length > 0) {
                out.append('\n').append(e.head()).append(": confusion matrix (rows true, columns predicted)\n")
                        .append(confusion(e));
            }
        }
        return out.toString();
    }

    /** The task's main metrics first, then any others (such as the ONNX check), as {@code name value}. */
    public static String metrics(HeadEvaluation e) {
        List<String> names = new ArrayList<>(MAIN_METRICS.get(e.task()));
        names.retainAll(e.metrics().keySet());
        e.metrics().keySet().stream().filter(k -> !names.contains(k)).sorted().forEach(names::add);
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            if (out.length() > 0) {
                out.append("  ");
            }
            double v = e.metrics().get(name);
            out.append(name).append(' ').append(Math.abs(v) < 1e-3 && v != 0
                    ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.4f", v));
        }
        return out.toString();
    }

    private static String confusion(HeadEvaluation e) {
        List<String[]> rows = new ArrayList<>();
        List<String> labels = e.labels();
        String[] header = new String[labels.size() + 1];
        header[0] = "";
        for (int c = 0; c < labels.size(); c++) {
            header[c + 1] = labels.get(c);
        }
        rows.add(header);
        for (int r = 0; r < labels.size(); r++) {
            String[] row = new String[labels.size() + 1];
            row[0] = labels.get(r);
            for (int c = 0; c < labels.size(); c++) {
                row[c + 1] = Long.toString(e.confusion()[r][c]);
            }
            rows.add(row);
        }
        return Views.table(rows);
    }
}
