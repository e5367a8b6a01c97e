package dev.sextant.plugins.tribuo;

import java.util.List;

/**
 * One labelled text of a data file.
 *
 * @param line where the row starts in its file (1-based; CSV: the physical line, so a quoted cell
 *     spanning lines is counted)
 * @param text the text to embed
 * @param label the label, for classification; otherwise {@code null}
 * @param labels the labels, for multi-label (possibly none); otherwise empty
 * @param value the target, for regression; otherwise NaN
 */
record DataRow(long line, String text, String label, List<String> labels, double value) {

    DataRow {
        labels = List.copyOf(labels);
    }
}
