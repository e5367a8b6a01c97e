package dev.sextant.plugins.tribuo;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.head.HeadTask;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads labelled texts from CSV (with a header row, RFC 4180 quoting) or JSON (one object per line,
 * or one array of objects). Every problem names the file, the line and the column; no row is
 * skipped except blank lines.
 */
final class DataFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file formats, by extension. */
    enum Format {
        CSV, JSON
    }

    /**
     * What to read from each row.
     *
     * @param key the option naming the file ({@code data} or {@code evaluation-data}), for errors
     * @param task decides how the label column is read
     * @param textColumn the text's column
     * @param labelColumn the target's column
     * @param labelSeparator separates multi-label labels in one cell
     */
    record Columns(String key, HeadTask task, String textColumn, String labelColumn, String labelSeparator) {
    }

    private DataFiles() {
    }

    /** The format of a data file, from its extension. */
    static Format format(Path file, String key) throws ConfigException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
            return Format.JSON;
        }
        throw new ConfigException(key, "cannot tell the format of " + file.getFileName()
                + ": name a .csv file (with a header row) or a .jsonl / .json file (one JSON object per line)");
    }

    /** Checks that the file is readable and has both columns, reading only its header or first object. */
    static void checkColumns(Path file, Columns columns) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(columns.key(), "the " + columns.key() + " file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(columns.key(), "the " + columns.key() + " file " + file + " is not readable");
        }
        List<String> present;
        try (InputStream in = Files.newInputStream(file)) {
            present = format(file, columns.key()) == Format.CSV ? csvHeader(in, file, columns.key())
                    : jsonKeys(in, file, columns.key());
        } catch (IOException e) {
            throw new ConfigException(columns.key(), "cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String[] wanted : new String[][] {{"text-column", columns.textColumn()},
                {"label-column", columns.labelColumn()}}) {
            if (!present.contains(wanted[1])) {
                throw new ConfigException(wanted[0], file.getFileName() + " has no column '" + wanted[1] + "' (set "
                        + wanted[0] + "); its columns are: " + String.join(", ", present) + " (in " + file + ")");
            }
        }
    }

    /** Reads every row of a file's content. */
    static List<DataRow> read(byte[] content, Path file, Columns columns) throws ConfigException {
        List<DataRow> rows = format(file, columns.key()) == Format.CSV ? readCsv(content, file, columns)
                : readJson(content, file, columns);
        if (rows.isEmpty()) {
            throw new ConfigException(columns.key(), file.getFileName() + " has no data rows (" + file + ")");
        }
        return rows;
    }

    // ---- CSV

    private static CSVReader csv(Reader reader) {
        return new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build()).build();
    }

    private static List<String> csvHeader(InputStream in, Path file, String key) throws IOException, ConfigException {
        try (CSVReader reader = csv(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String[] header = reader.readNext();
            if (header == null) {
                throw new ConfigException(key, file.getFileName() + " is empty: a CSV data file starts with a header"
                        + " row naming its columns (" + file + ")");
            }
            return header(header);
        } catch (CsvException e) {
            throw new ConfigException(key, file.getFileName() + " line 1: not a CSV header: " + e.getMessage());
        }
    }

    private static List<String> header(String[] cells) {
        List<String> names = new ArrayList<>(cells.length);
        for (int i = 0; i < cells.length; i++) {
            String name = cells[i].trim();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1);
            }
            names.add(name);
        }
        return names;
    }

    private static List<DataRow> readCsv(byte[] content, Path file, Columns columns) throws ConfigException {
        String name = file.getFileName().toString();
        List<DataRow> rows = new ArrayList<>();
        try (CSVReader reader = csv(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8))) {
            String[] first;
            try {
                first = reader.readNext();
            } catch (CsvException e) {
                throw new ConfigException(columns.key(), name + " line 1: not a CSV header: " + e.getMessage());
            }
            if (first == null) {
                throw new ConfigException(columns.key(), name + " is empty: a CSV data file starts with a header row");
            }
            List<String> header = header(first);
            int textAt = header.indexOf(columns.textColumn());
            int labelAt = header.indexOf(columns.labelColumn());
            if (textAt < 0 || labelAt < 0) {
                String missing = textAt < 0 ? columns.textColumn() : columns.labelColumn();
                throw new ConfigException(textAt < 0 ? "text-column" : "label-column", name + " has no column '"
                        + missing + "'; its columns are: " + String.join(", ", header));
            }
            while (true) {
                long line = reader.getLinesRead() + 1;
                String[] cells;
                try {
                    cells = reader.readNext();
                } catch (CsvException e) {
                    throw new ConfigException(columns.key(), name + " line " + line + ": " + e.getMessage());
                }
                if (cells == null) {
                    break;
                }
                if (cells.length == 1 && cells[0].isBlank() && header.size() > 1) {
                    continue; // a blank line is no row
                }
                if (cells.length != header.size()) {
                    throw new ConfigException(columns.key(), name + " line " + line + " has " + cells.length
                            + " fields but the header has " + header.size() + " (" + String.join(", ", header) + ")");
                }
                rows.add(row(line, cells[textAt], cells[labelAt], null, name, columns));
            }
        } catch (IOException e) {
            throw new ConfigException(columns.key(), "cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    // ---- JSON

    private static List<String> jsonKeys(InputStream in, Path file, String key) throws IOException, ConfigException {
        String name = file.getFileName().toString();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        reader.mark(1 << 16);
        int c;
        do {
            c = reader.read();
        } while (c != -1 && Character.isWhitespace(c));
        reader.reset();
        if (c == -1) {
            throw new ConfigException(key, name + " is empty (" + file + ")");
        }
        JsonNode first;
        long line = 1;
        if (c == '[') {
            try (JsonParser parser = JSON.createParser(reader)) {
                parser.nextToken();
                JsonToken token = parser.nextToken();
                line = parser.currentTokenLocation().getLineNr();
                if (token != JsonToken.START_OBJECT) {
                    throw new ConfigException(key, name + " line " + line + ": expected an array of JSON objects");
                }
                first = JSON.readTree(parser);
            } catch (JsonProcessingException e) {
                throw new ConfigException(key, name + " line " + lineOf(e) + ": not valid JSON: " + e.getOriginalMessage());
            }
        } else {
            String text;
            while ((text = reader.readLine()) != null && text.isBlank()) {
                line++;
            }
            first = parseLine(text, line, name, key);
        }
        List<String> keys = new ArrayList<>();
        first.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static JsonNode parseLine(String text, long line, String name, String key) throws ConfigException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(key, name + " line " + line + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new ConfigException(key, name + " line " + line + ": expected a JSON object per line, found "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    private static long lineOf(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? 0 : at.getLineNr();
    }

    private static List<DataRow> readJson(byte[] content, Path file, Columns columns) throws ConfigException {
        String name = file.getFileName().toString();
        List<DataRow> rows = new ArrayList<>();
        int start = 0;
        if (content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        while (start < content.length && Character.isWhitespace(content[start])) {
            start++;
        }
        if (start < content.length && content[start] == '[') {
            try (JsonParser parser = JSON.createParser(content)) {
                parser.nextToken();
                while (true) {
                    JsonToken token = parser.nextToken();
                    long line = parser.currentTokenLocation().getLineNr();
                    if (token == JsonToken.END_ARRAY || token == null) {
                        break;
                    }
                    if (token != JsonToken.START_OBJECT) {
                        throw new ConfigException(columns.key(), name + " line " + line
                                + ": expected an array of JSON objects");
                    }
                    rows.add(jsonRow(JSON.readTree(parser), line, name, columns));
                }
            } catch (JsonProcessingException e) {
                throw new ConfigException(columns.key(), name + " line " + lineOf(e) + ": not valid JSON: "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new ConfigException(columns.key(), "cannot read " + file + ": " + e.getMessage(), e);
            }
            return rows;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content),
                StandardCharsets.UTF_8))) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                rows.add(jsonRow(parseLine(text, line, name, columns.key()), line, name, columns));
            }
        } catch (IOException e) {
            throw new ConfigException(columns.key(), "cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static DataRow jsonRow(JsonNode node, long line, String name, Columns columns) throws ConfigException {
        JsonNode text = node.get(columns.textColumn());
        JsonNode label = node.get(columns.labelColumn());
        String textValue = scalar(text, line, name, columns.textColumn(), columns);
        if (label != null && label.isArray() && columns.task() == HeadTask.MULTI_LABEL) {
            Set<String> labels = new LinkedHashSet<>();
            for (Iterator<JsonNode> it = label.elements(); it.hasNext(); ) {
                String one = scalar(it.next(), line, name, columns.labelColumn(), columns).trim();
                if (one.isEmpty()) {
                    throw problem(columns, name, line, columns.labelColumn(), "a label in the array is empty");
                }
                labels.add(one);
            }
            return new DataRow(line, checkedText(textValue, line, name, columns), null, List.copyOf(labels),
                    Double.NaN);
        }
        if (label != null && label.isNumber() && columns.task() == HeadTask.REGRESSION) {
            return row(line, textValue, null, label.doubleValue(), name, columns);
        }
        return row(line, textValue, scalar(label, line, name, columns.labelColumn(), columns), null, name, columns);
    }

    private static String scalar(JsonNode node, long line, String name, String column, Columns columns)
            throws ConfigException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw problem(columns, name, line, column, "the value is missing");
        }
        if (!node.isValueNode()) {
            throw problem(columns, name, line, column, "expected a single value, found a JSON "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node.asText();
    }

    // ---- both

    private static DataRow row(long line, String text, String target, Double number, String name, Columns columns)
            throws ConfigException {
        String checked = checkedText(text, line, name, columns);
        String column = columns.labelColumn();
        switch (columns.task()) {
            case CLASSIFICATION -> {
                String label = target.trim();
                if (label.isEmpty()) {
                    throw problem(columns, name, line, column, "the label is missing");
                }
                return new DataRow(line, checked, label, List.of(), Double.NaN);
            }
            case MULTI_LABEL -> {
                Set<String> labels = new LinkedHashSet<>();
                for (String part : target.split(java.util.regex.Pattern.quote(columns.labelSeparator()), -1)) {
                    if (!part.isBlank()) {
                        labels.add(part.trim());
                    }
                }
                return new DataRow(line, checked, null, List.copyOf(labels), Double.NaN);
            }
            case REGRESSION -> {
                double value;
                if (number != null) {
                    value = number;
                } else {
                    String cell = target.trim();
                    if (cell.isEmpty()) {
                        throw problem(columns, name, line, column, "the value is missing");
                    }
                    try {
                        value = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw problem(columns, name, line, column, "'" + cell + "' is not a number");
                    }
                }
                if (!Double.isFinite(value)) {
                    throw problem(columns, name, line, column, value + " is not a finite number");
                }
                return new DataRow(line, checked, null, List.of(), value);
            }
            default -> throw new IllegalStateException("unknown task " + columns.task());
        }
    }

    private static String checkedText(String text, long line, String name, Columns columns) throws ConfigException {
        if (text == null || text.isBlank()) {
            throw problem(columns, name, line, columns.textColumn(), "the text is empty");
        }
        return text;
    }

    private static ConfigException problem(Columns columns, String name, long line, String column, String what) {
        return new ConfigException(columns.key(), name + " line " + line + ", column '" + column + "': " + what);
    }

    /** The texts of some rows, in order. */
    static List<String> texts(List<DataRow> rows) {
        return Arrays.asList(rows.stream().map(DataRow::text).toArray(String[]::new));
    }
}
