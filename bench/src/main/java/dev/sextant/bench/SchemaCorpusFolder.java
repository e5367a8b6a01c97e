package dev.sextant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JSON Schema corpus the constraints plugin's tests assemble
 * ({@code plugins/constraints/src/test/resources/schema-corpus}, described by its README): one schema
 * per {@code *.json} file, the kind of each the first word of its name ({@code real}, {@code recursive},
 * {@code any}, {@code gen}).
 */
final class SchemaCorpusFolder {

    /** Where the corpus is, from the Sextant folder. */
    static final String PATH = "plugins/constraints/src/test/resources/schema-corpus";

    /** One schema file. */
    record SchemaFile(String name, String kind, Path path) {
    }

    private SchemaCorpusFolder() {
    }

    /** The folder: {@code -Dconstraints.corpus=DIR}, or the plugin's corpus under the Sextant folder. */
    static Path folder(Path root) {
        String given = System.getProperty("constraints.corpus");
        return given != null ? Path.of(given) : root.resolve(PATH);
    }

    /** Every schema file of the folder, sorted by name. */
    static List<SchemaFile> read(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("no schema corpus at " + folder + " (give -Dconstraints.corpus=DIR)");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().map(p -> {
                String name = p.getFileName().toString();
                name = name.substring(0, name.length() - ".json".length());
                return new SchemaFile(name, name.contains("-") ? name.substring(0, name.indexOf('-')) : name, p);
            }).toList();
        }
    }
}
