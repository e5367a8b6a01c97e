package dev.sextant.plugins.compressors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one string field from the committed evaluation sets (models/eval/*.jsonl). */
final class EvalCorpus {

    private EvalCorpus() {
    }

    static Path root() {
        String root = System.getProperty("sextant.root");
        if (root == null) {
            throw new IllegalStateException("system property sextant.root is not set (surefire sets it)");
        }
        return Path.of(root);
    }

    /** The {@code field} of every line of {@code models/eval/<set>.jsonl}, in file order. */
    static List<String> field(String set, String field) {
        Pattern pattern = Pattern.compile("\"" + Pattern.quote(field) + "\": \"((?:[^\"\\\\]|\\\\.)*)\"");
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(root().resolve("models/eval/" + set + ".jsonl"),
                    StandardCharsets.UTF_8)) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    out.add(unescape(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Per line of compression.jsonl, the gold keep flag of each space-separated word of its context. */
    static List<List<Boolean>> compressionKeeps() {
        Pattern pattern = Pattern.compile("\\{\"word\": \"(?:[^\"\\\\]|\\\\.)*\", \"keep\": (true|false)\\}");
        List<List<Boolean>> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(root().resolve("models/eval/compression.jsonl"),
                    StandardCharsets.UTF_8)) {
                List<Boolean> keeps = new ArrayList<>();
                Matcher m = pattern.matcher(line);
                while (m.find()) {
                    keeps.add(Boolean.parseBoolean(m.group(1)));
                }
                out.add(keeps);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
