package dev.sextant.plugins.constraints;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The schema corpus of {@code src/test/resources/schema-corpus}: one JSON Schema per file, its kind
 * the file name's first word ({@code real}, {@code recursive}, {@code any}: written by hand; {@code gen}:
 * written by {@link GeneratedSchemas}). Every file carries {@code examples}, documents that validate.
 *
 * <p>{@link #main} rewrites the generated files (the hand-written ones stay): {@code java -cp ...
 * dev.sextant.plugins.constraints.SchemaCorpusFiles [folder]}; see the folder's README.
 */
final class SchemaCorpusFiles {

    /** The generator's seed and how many files it writes. */
    static final long SEED = 2027;
    static final int GENERATED = 210;
    static final List<String> KINDS = List.of("real", "recursive", "any", "gen");

    /** One file of the corpus. */
    record CorpusFile(String name, String kind, Path path, JsonNode schema) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaCorpusFiles() {
    }

    /** The corpus folder as the tests see it (copied onto the test classpath). */
    static Path folder() {
        try {
            return Path.of(SchemaCorpusFiles.class.getResource("/schema-corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every {@code *.json} file of a folder, sorted by name. */
    static List<CorpusFile> read(Path folder) throws IOException {
        List<CorpusFile> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path path : list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String name = path.getFileName().toString();
                name = name.substring(0, name.length() - ".json".length());
                files.add(new CorpusFile(name, kind(name), path, JSON.readTree(Files.readString(path))));
            }
        }
        return files;
    }

    /** The kind a file name says, or "unknown". */
    static String kind(String name) {
        String first = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
        return KINDS.contains(first) ? first : "unknown";
    }

    /** How the corpus files are written: two-space indents, one value a line, as Python's json.dumps(indent=2). */
    static ObjectWriter writer() {
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("").withArrayEmptySeparator(""));
        printer.indentObjectsWith(indent);
        printer.indentArraysWith(indent);
        return JSON.writer(printer);
    }

    /** Writes the generated files into the folder (default: this module's corpus, from the repository root). */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args.length > 0 ? args[0] : "plugins/constraints/src/test/resources/schema-corpus");
        Files.createDirectories(folder);
        try (Stream<Path> old = Files.list(folder)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("gen-")).toList()) {
                Files.delete(p);
            }
        }
        ObjectWriter writer = writer();
        for (GeneratedSchemas.Generated g : GeneratedSchemas.generate(SEED, GENERATED)) {
            try {
                Files.writeString(folder.resolve(g.name() + ".json"), writer.writeValueAsString(g.schema()) + "\n",
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        System.out.println("wrote " + GENERATED + " generated schemas to " + folder);
    }
}
