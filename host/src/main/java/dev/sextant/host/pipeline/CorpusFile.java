package dev.sextant.host.pipeline;

import dev.sextant.host.cli.Views;
import dev.sextant.spi.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Texts for selection, read from a file: JSON Lines (one object per line, the text in a named
 * field) for {@code .jsonl} / {@code .ndjson}, otherwise one text per non-blank line. A bad line is an
 * error naming the file and line; nothing is skipped silently.
 */
public final class CorpusFile {

    private CorpusFile() {
    }

    /** One text and where it came from. */
    public record Entry(String text, int line, String raw) {
    }

    /** Reads every entry. */
    public static List<Entry> read(Path file, String field) throws InputException {
        boolean json = file.getFileName().toString().endsWith(".jsonl")
                || file.getFileName().toString().endsWith(".ndjson");
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (!json) {
                    entries.add(new Entry(line, number, line));
                    continue;
                }
                JsonNode node;
                try {
                    node = Views.mapper().readTree(line);
                } catch (JacksonException e) {
                    throw new InputException(file + ":" + number + ": not a JSON object: " + e.getOriginalMessage());
                }
                JsonNode value = node.get(field);
                if (value == null || !value.isString()) {
                    throw new InputException(file + ":" + number + ": no text field '" + field + "'");
                }
                entries.add(new Entry(value.asString(), number, line));
            }
        } catch (NoSuchFileException e) {
            throw new InputException("the file " + file + " does not exist");
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new InputException("the file " + file + " has no texts");
        }
        return entries;
    }

    /** The texts of entries. */
    public static List<String> texts(List<Entry> entries) {
        return entries.stream().map(Entry::text).toList();
    }
}
