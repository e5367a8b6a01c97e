package dev.sextant.bench;

import dev.sextant.spi.constraint.TokenBytes;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A tiktoken vocabulary (the rank files the jtokkit artefact ships: {@code r50k_base} is GPT-2's,
 * {@code cl100k_base}, {@code o200k_base}) as a {@link Tokenizer} whose entries are written in GPT-2's
 * byte-level alphabet, as Hugging Face writes byte-level vocabularies, plus one end-of-text id after
 * the last rank. Only the vocabulary is served: constraints read token bytes, nothing encodes text.
 */
final class TiktokenVocabulary implements Tokenizer {

    private final String name;
    private final List<String> entries;

    private TiktokenVocabulary(String name, List<String> entries) {
        this.name = name;
        this.entries = entries;
    }

    static TiktokenVocabulary load(String name) throws IOException {
        List<String> entries = new ArrayList<>();
        try (InputStream in = TiktokenVocabulary.class.getResourceAsStream("/com/knuddels/jtokkit/" + name + ".tiktoken")) {
            if (in == null) {
                throw new IOException("no vocabulary " + name + " in the jtokkit artefact");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                int space = line.indexOf(' ');
                int rank = Integer.parseInt(line.substring(space + 1).strip());
                byte[] bytes = Base64.getDecoder().decode(line.substring(0, space));
                while (entries.size() <= rank) {
                    entries.add(null);
                }
                entries.set(rank, TokenBytes.byteLevelEntry(bytes));
            }
        }
        entries.add("<|endoftext|>");
        return new TiktokenVocabulary(name, entries);
    }

    /** The model facts a constraint needs: the vocabulary size and the end-of-text id. */
    ModelInfo info() {
        return new ModelInfo(name, "tiktoken", entries.size(), 1 << 20, Set.of(endId()), -1, -1, Map.of());
    }

    int endId() {
        return entries.size() - 1;
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        throw new UnsupportedOperationException("a vocabulary only: " + name + " encodes nothing here");
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        throw new UnsupportedOperationException("a vocabulary only");
    }

    @Override
    public String token(int id) {
        return entries.get(id);
    }

    @Override
    public OptionalInt tokenId(String token) {
        int id = entries.indexOf(token);
        return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return entries.size();
    }

    @Override
    public Set<Integer> specialTokenIds() {
        return Set.of(endId());
    }
}
