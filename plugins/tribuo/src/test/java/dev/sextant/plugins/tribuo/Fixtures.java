package dev.sextant.plugins.tribuo;

import com.opencsv.CSVReader;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.testing.TestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ticket fixtures (150 training rows in {@code tickets.csv} and {@code tickets.jsonl}, 30 in
 * {@code tickets-eval.csv}: three topics, tags urgent / angry / refund, a numeric urgency), copied
 * into a test's folder, and helpers to create heads on them.
 */
final class Fixtures {

    static final String[] FILES = {"tickets.csv", "tickets.jsonl", "tickets-eval.csv"};

    /** Tribuo logs each training at INFO; tests keep a reference so the level sticks. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    final Path folder;
    final Path cache;

    Fixtures(Path folder) {
        this.folder = folder;
        this.cache = folder.resolve("cache");
        for (String file : FILES) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/data/" + file)) {
                Files.copy(in, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    TestContext context(String head, HashedEncoder encoder) {
        return new TestContext(head, folder).withSetting(TribuoHeadFactory.CACHE_DIR_SETTING, cache.toString()).with("enc", encoder);
    }

    TribuoHead create(String head, HeadConfig config, HashedEncoder encoder) throws SextantException {
        return (TribuoHead) new TribuoHeadFactory().create(config.build(), context(head, encoder));
    }

    /** The rows of a CSV file as column maps, read independently of the plugin. */
    List<Map<String, String>> csv(String file) {
        try (CSVReader reader = new CSVReader(new InputStreamReader(Files.newInputStream(folder.resolve(file)),
                StandardCharsets.UTF_8))) {
            List<String[]> all = reader.readAll();
            String[] header = all.get(0);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String[] cells : all.subList(1, all.size())) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], cells[i]);
                }
                rows.add(row);
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Embeddings of some texts, without counting calls. */
    static Embeddings embeddings(HashedEncoder encoder, List<String> texts) {
        return new Embeddings(encoder.vectors(texts), null, List.of());
    }

    static List<String> column(List<Map<String, String>> rows, String column) {
        return rows.stream().map(r -> r.get(column)).toList();
    }
}
