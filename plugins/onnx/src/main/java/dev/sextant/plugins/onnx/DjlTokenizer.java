package dev.sextant.plugins.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A {@code tokenizer.json} read by DJL's Hugging Face tokenizers, behind the SPI. It never truncates
 * or pads; special tokens are added only as the file's post-processor says, and only when asked.
 * The vocabulary (for {@link #token} and {@link #tokenId}) and the special tokens are read from the
 * same file, since DJL does not expose them.
 */
final class DjlTokenizer implements Tokenizer, AutoCloseable {

    /**
     * DJL's options for {@link HuggingFaceTokenizer#newInstance(InputStream, Map)}, the same as the
     * builder's in {@link #load(Path)}: a {@code tokenizer.json} may ask for truncation and padding
     * (all-MiniLM-L6-v2's pads every text to 128 tokens), which this wrapper never applies.
     */
    private static final Map<String, String> OPTIONS = Map.of("addSpecialTokens", "false", "truncation", "false",
            "padding", "false", "withOverflowingTokens", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final Set<Integer> specialIds;

    private DjlTokenizer(HuggingFaceTokenizer tokenizer, Vocabulary vocabulary) {
        this.tokenizer = tokenizer;
        this.tokens = vocabulary.tokens();
        this.ids = vocabulary.ids();
        this.specialIds = vocabulary.specialIds();
    }

    /** Loads {@code tokenizer.json} from a model folder. */
    static DjlTokenizer load(Path folder) throws ModelException {
        Path file = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelException("model folder " + folder + " has no tokenizer.json (save the tokenizer "
                    + "with a Hugging Face fast tokenizer's save_pretrained)");
        }
        Vocabulary vocabulary = Vocabulary.read(file.toString(), readJson(file));
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
        return new DjlTokenizer(tokenizer, vocabulary);
    }

    /**
     * Loads the content of a {@code tokenizer.json} that is not a file of its own (a classpath
     * resource inside a plugin jar, which DJL cannot open by path).
     *
     * @param source names the content in messages, e.g. {@code classpath:all-minilm-l6-v2-tokenizer.json}
     */
    static DjlTokenizer fromJson(String source, byte[] json) throws ModelException {
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.read(source,
                    JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject());
        } catch (RuntimeException e) {
            throw new ModelException("cannot read " + source + ": " + e.getMessage(), e);
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot load " + source + ": " + e.getMessage(), e);
        }
        return new DjlTokenizer(tokenizer, vocabulary);
    }

    /** The vocabulary and special tokens of a {@code tokenizer.json}, read from its JSON. */
    private record Vocabulary(String[] tokens, Map<String, Integer> ids, Set<Integer> specialIds) {

        static Vocabulary read(String source, JsonObject root) throws ModelException {
            Map<String, Integer> ids = readVocabulary(source, root);
            Set<Integer> specialIds = readSpecialIds(root);
            String[] tokens = new String[ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
            ids.forEach((token, id) -> tokens[id] = token);
            return new Vocabulary(tokens, Map.copyOf(ids), specialIds);
        }
    }

    private static JsonObject readJson(Path file) throws ModelException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> readVocabulary(String source, JsonObject root) throws ModelException {
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
            throw new ModelException(source + " has no model.vocab: not a Hugging Face tokenizer.json");
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

    /**
     * Ids of the {@code added_tokens} marked {@code "special": true}; added tokens that are not special
     * (extra words a user added) are ordinary text.
     */
    private static Set<Integer> readSpecialIds(JsonObject root) {
        Set<Integer> special = new HashSet<>();
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement token : added.getAsJsonArray()) {
                JsonObject o = token.getAsJsonObject();
                JsonElement flag = o.get("special");
                if (flag != null && flag.isJsonPrimitive() && flag.getAsBoolean()) {
                    special.add(o.get("id").getAsInt());
                }
            }
        }
        return Set.copyOf(special);
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
        return new Encoding(out, strings, starts, ends, wordIds(encoding, starts, ends, text));
    }

    /**
     * The token count from the native encoding's ids alone: the strings, offsets and word ids that
     * {@link #encode} reads through as many more native calls are not fetched (about 0.075 ms instead of
     * 0.105 for 80 tokens, measured here). The same native call {@code HuggingFaceTokenizer.encode} makes,
     * on a tokenizer that never truncates or pads.
     */
    @Override
    public int count(String text) {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        long encoding = lib.encode(tokenizer.getHandle(), text, false);
        try {
            return lib.getTokenIds(encoding).length;
        } finally {
            lib.deleteEncoding(encoding);
        }
    }

    /**
     * The tokenizer's own word ids (its pre-tokenizer's words; -1 for special tokens), renumbered
     * from 0 in text order; from the offsets when the tokenizer gives none.
     */
    private static int[] wordIds(ai.djl.huggingface.tokenizers.Encoding encoding, int[] starts, int[] ends,
            String text) {
        long[] given = encoding.getWordIds();
        if (given == null || given.length != starts.length) {
            return Encoding.wordsFromOffsets(starts, ends, text);
        }
        int[] words = new int[given.length];
        int next = -1;
        long previous = Long.MIN_VALUE;
        boolean any = false;
        for (int i = 0; i < given.length; i++) {
            if (given[i] < 0 || ends[i] <= starts[i]) {
                words[i] = -1;
                continue;
            }
            any = true;
            if (given[i] != previous) {
                next++;
                previous = given[i];
            }
            words[i] = next;
        }
        return any || starts.length == 0 ? words : Encoding.wordsFromOffsets(starts, ends, text);
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
    public Set<Integer> specialTokenIds() {
        return specialIds;
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
