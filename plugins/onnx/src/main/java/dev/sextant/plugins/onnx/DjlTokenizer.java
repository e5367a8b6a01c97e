package dev.sextant.plugins.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A {@code tokenizer.json} read by DJL's Hugging Face tokenizers, behind the SPI. It never truncates
 * or pads; special tokens are added only as the file's post-processor says, and only when asked.
 * The vocabulary (for {@link #token} and {@link #tokenId}) is read from the same file, since DJL
 * does not expose it.
 */
final class DjlTokenizer implements Tokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final String[] tokens;
    private final Map<String, Integer> ids;

    private DjlTokenizer(HuggingFaceTokenizer tokenizer, String[] tokens, Map<String, Integer> ids) {
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.ids = ids;
    }

    /** Loads {@code tokenizer.json} from a model folder. */
    static DjlTokenizer load(Path folder) throws ModelException {
        Path file = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelException("model folder " + folder + " has no tokenizer.json (save the tokenizer "
                    + "with a Hugging Face fast tokenizer's save_pretrained)");
        }
        Map<String, Integer> ids = readVocabulary(file);
        String[] tokens = new String[ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
        ids.forEach((token, id) -> tokens[id] = token);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .optWithOverflowingTokens(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot load " + file + ": " + e.getMessage(), e);
        }
        return new DjlTokenizer(tokenizer, tokens, Map.copyOf(ids));
    }

    private static Map<String, Integer> readVocabulary(Path file) throws ModelException {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Integer> ids = new HashMap<>();
        JsonElement model = root.get("model");
        JsonElement vocab = model != null && model.isJsonObject() ? model.getAsJsonObject().get("vocab") : null;
        if (vocab != null && vocab.isJsonObject()) {
            // BPE, WordPiece, WordLevel: token -> id
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                ids.put(e.getKey(), e.getValue().getAsInt());
            }
        } else if (vocab != null && vocab.isJsonArray()) {
            // Unigram: [token, score] pairs, the index is the id
            int id = 0;
            for (JsonElement pair : vocab.getAsJsonArray()) {
                ids.put(pair.getAsJsonArray().get(0).getAsString(), id++);
            }
        } else {
            throw new ModelException(file + " has no model.vocab: not a Hugging Face tokenizer.json");
        }
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement token : added.getAsJsonArray()) {
                JsonObject o = token.getAsJsonObject();
                ids.put(o.get("content").getAsString(), o.get("id").getAsInt());
            }
        }
        return ids;
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        ai.djl.huggingface.tokenizers.Encoding encoding = tokenizer.encode(text, addSpecialTokens, false);
        long[] longIds = encoding.getIds();
        int n = longIds.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.toIntExact(longIds[i]);
        }
        String[] strings = encoding.getTokens();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] starts = new int[n];
        int[] ends = new int[n];
        CodePointIndex index = CodePointIndex.of(text);
        int previousEnd = 0;
        for (int i = 0; i < n; i++) {
            CharSpan span = spans != null && i < spans.length ? spans[i] : null;
            if (span == null) {
                // a token added by the post-processor covers no text: an empty span where it stands
                starts[i] = previousEnd;
                ends[i] = previousEnd;
            } else {
                starts[i] = index.toCharIndex(span.getStart());
                ends[i] = index.toCharIndex(span.getEnd());
                previousEnd = ends[i];
            }
        }
        return new Encoding(out, strings, starts, ends);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longIds = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longIds[i] = ids[i];
        }
        return tokenizer.decode(longIds, skipSpecialTokens);
    }

    @Override
    public String token(int id) {
        if (id < 0 || id >= tokens.length || tokens[id] == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (0.." + (tokens.length - 1)
                    + ")");
        }
        return tokens[id];
    }

    @Override
    public OptionalInt tokenId(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * Maps the tokenizer's offsets, which count Unicode code points, to Java's UTF-16 indices. For
     * texts without supplementary characters (the usual case) both are the same.
     */
    private record CodePointIndex(int[] charIndexOfCodePoint) {

        static CodePointIndex of(String text) {
            if (text.codePointCount(0, text.length()) == text.length()) {
                return new CodePointIndex(null);
            }
            int[] map = new int[text.codePointCount(0, text.length()) + 1];
            int cp = 0;
            for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
                map[cp++] = i;
            }
            map[cp] = text.length();
            return new CodePointIndex(map);
        }

        int toCharIndex(int codePoint) {
            if (charIndexOfCodePoint == null) {
                return codePoint;
            }
            return charIndexOfCodePoint[Math.min(codePoint, charIndexOfCodePoint.length - 1)];
        }
    }
}
