package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.model.Encoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlTokenizerTest {

    private static DjlTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = DjlTokenizer.load(StoryLm.folder());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void idsAndTokensEqualTheForgeReferenceForEveryText() {
        JsonArray entries = StoryLm.json("tokenizer_reference.json").getAsJsonArray("entries");
        assertThat(entries.size()).isGreaterThan(10);
        for (JsonElement element : entries) {
            JsonObject entry = element.getAsJsonObject();
            String text = entry.get("text").getAsString();
            Encoding encoding = tokenizer.encode(text, true);
            assertThat(encoding.ids()).as("ids of %s", text).containsExactly(StoryLm.ints(entry.getAsJsonArray("ids")));
            JsonArray tokens = entry.getAsJsonArray("tokens");
            for (int i = 0; i < tokens.size(); i++) {
                assertThat(encoding.tokens()[i]).as("token %d of %s", i, text).isEqualTo(tokens.get(i).getAsString());
                assertThat(tokenizer.token(encoding.ids()[i])).isEqualTo(tokens.get(i).getAsString());
                assertThat(tokenizer.tokenId(tokens.get(i).getAsString())).hasValue(encoding.ids()[i]);
            }
            assertThat(tokenizer.decode(encoding.ids(), true)).as("decode of %s", text)
                    .isEqualTo(entry.get("decoded").getAsString());
            assertThat(tokenizer.decode(encoding.ids(), false)).as("round trip of %s", text).isEqualTo(text);
        }
    }

    @Test
    void offsetsPointAtEachTokensTextInUtf16Indices() {
        for (String text : new String[] {"mia lives in oslo .", "emoji \uD83D\uDE42 and euro \u20AC after", "caf\u00e9 na\u00efve"}) {
            Encoding encoding = tokenizer.encode(text, false);
            for (int i = 0; i < encoding.size(); i++) {
                String piece = text.substring(encoding.starts()[i], encoding.ends()[i]);
                assertThat(piece).as("span of token %d of %s", i, text).isNotEmpty();
            }
            assertThat(encoding.ends()[encoding.size() - 1]).isEqualTo(text.length());
            // every token that decodes to whole characters covers exactly those characters
            for (int i = 0; i < encoding.size(); i++) {
                String decoded = tokenizer.decode(new int[] {encoding.ids()[i]}, false);
                if (!decoded.contains("\uFFFD")) {
                    assertThat(text.substring(encoding.starts()[i], encoding.ends()[i]).strip())
                            .as("span of token %d of %s", i, text).isEqualTo(decoded.strip());
                }
            }
        }
    }

    @Test
    void longTextIsNeitherTruncatedNorPadded() {
        String text = "mia lives in oslo . ".repeat(400);
        Encoding encoding = tokenizer.encode(text, true);
        assertThat(encoding.size()).isGreaterThan(2000);
        assertThat(encoding.ids()).doesNotContain(0);
        assertThat(tokenizer.decode(encoding.ids(), false)).isEqualTo(text);
    }

    @Test
    void countIsTheEncodingsSizeWithoutSpecialTokensForAnyText() throws Exception {
        List<String> texts = new java.util.ArrayList<>(List.of("", " ", "mia lives in oslo .", "a<|endoftext|>b",
                "emoji \uD83D\uDE42 and euro \u20AC after", "mia lives in oslo . ".repeat(400), "\n\n  x \t y"));
        texts.addAll(MiniLm.textsOfManyLengths(40));
        try (OnnxEncoder minilm = MiniLm.load()) {
            for (dev.sextant.spi.model.Tokenizer t : List.of(tokenizer, minilm.tokenizer())) {
                for (String text : texts) {
                    assertThat(t.count(text)).as("count of %s", text).isEqualTo(t.encode(text, false).size());
                }
            }
        }
    }

    @Test
    void specialTokenIsOneIdAndCanBeSkippedWhenDecoding() {
        Encoding encoding = tokenizer.encode("a<|endoftext|>b", false);
        assertThat(encoding.ids()).contains(0);
        assertThat(tokenizer.decode(encoding.ids(), true)).isEqualTo("ab");
        assertThat(tokenizer.vocabSize()).isGreaterThan(1000);
        assertThatThrownBy(() -> tokenizer.token(tokenizer.vocabSize())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specialTokenIdsAreTheAddedTokensMarkedSpecial(@TempDir Path dir) throws Exception {
        assertThat(tokenizer.specialTokenIds()).containsExactly(0);
        JsonObject json = StoryLm.json("tokenizer.json");
        int next = tokenizer.vocabSize();
        JsonArray added = json.getAsJsonArray("added_tokens");
        added.add(addedToken(next, "<sep>", true));
        added.add(addedToken(next + 1, "zorblat", false));
        Files.writeString(dir.resolve("tokenizer.json"), json.toString(), StandardCharsets.UTF_8);
        try (DjlTokenizer extended = DjlTokenizer.load(dir)) {
            assertThat(extended.specialTokenIds()).containsExactlyInAnyOrder(0, next);
            assertThat(extended.tokenId("zorblat")).hasValue(next + 1);
            assertThat(extended.encode("a<sep>b", false).ids()).contains(next);
        }
    }

    private static JsonObject addedToken(int id, String content, boolean special) {
        JsonObject token = new JsonObject();
        token.addProperty("id", id);
        token.addProperty("content", content);
        token.addProperty("single_word", false);
        token.addProperty("lstrip", false);
        token.addProperty("rstrip", false);
        token.addProperty("normalized", !special);
        token.addProperty("special", special);
        return token;
    }

    @Test
    void wordIdsGroupTheSubWordsOfEachWordOfStoryLmsByteLevelBpe() {
        String text = "mia lives in zorblatium with the quixotically grumpy harbourmaster";
        Encoding encoding = tokenizer.encode(text, true);
        assertWords(text, encoding, text.split(" "));
        assertThat(encoding.size()).as("some words are several tokens").isGreaterThan(encoding.wordCount());
        // a byte-level BPE keeps punctuation apart from the word before it (GPT-2's pre-tokenizer)
        assertWords("mia lives in oslo.", tokenizer.encode("mia lives in oslo.", true), "mia", "lives", "in", "oslo",
                ".");
        assertThat(tokenizer.encode("", true).wordCount()).isZero();
    }

    @Test
    void wordIdsOfABertTokenizerGiveSpecialTokensMinusOne() throws Exception {
        try (DjlTokenizer bert = DjlTokenizer.fromJson("all-minilm-l6-v2-tokenizer.json",
                OnnxEncoderFactory.resource(OnnxEncoderFactory.BUILT_IN_TOKENIZER))) {
            String text = "Tokenization of unbelievably long words, quickly!";
            Encoding encoding = bert.encode(text, true);
            assertThat(encoding.tokens()).startsWith("[CLS]").endsWith("[SEP]");
            assertThat(encoding.wordIds()[0]).isEqualTo(-1);
            assertThat(encoding.wordIds()[encoding.size() - 1]).isEqualTo(-1);
            // BERT's pre-tokenizer splits punctuation off as words of its own
            assertWords(text, encoding, "Tokenization", "of", "unbelievably", "long", "words", ",", "quickly", "!");
            assertThat(encoding.tokens()).contains("##ization");
            assertThat(bert.encode("", true).wordIds()).containsExactly(-1, -1);
            assertThat(bert.encode(text, false).wordIds()).doesNotContain(-1);
        }
    }

    /**
     * Word ids count the {@code words} in text order, from 0; the tokens of word w are consecutive
     * and cover exactly its text; tokens that cover no text (special tokens) have -1.
     */
    private static void assertWords(String text, Encoding encoding, String... words) {
        int[] ids = encoding.wordIds();
        assertThat(encoding.wordCount()).as("words of %s", text).isEqualTo(words.length);
        int previous = -1;
        int[] from = new int[words.length];
        int[] to = new int[words.length];
        java.util.Arrays.fill(from, -1);
        for (int t = 0; t < ids.length; t++) {
            boolean coversText = encoding.ends()[t] > encoding.starts()[t];
            if (!coversText) {
                assertThat(ids[t]).as("word id of token %d (%s)", t, encoding.tokens()[t]).isEqualTo(-1);
                continue;
            }
            assertThat(ids[t]).as("word id of token %d (%s)", t, encoding.tokens()[t]).isBetween(previous,
                    previous + 1);
            if (from[ids[t]] < 0) {
                from[ids[t]] = encoding.starts()[t];
            }
            to[ids[t]] = encoding.ends()[t];
            previous = ids[t];
        }
        for (int w = 0; w < words.length; w++) {
            assertThat(text.substring(from[w], to[w]).strip()).as("word %d of %s", w, text).isEqualTo(words[w]);
        }
    }

    @Test
    void folderWithoutTokenizerJsonIsAClearError(@TempDir Path empty) {
        assertThatThrownBy(() -> DjlTokenizer.load(empty)).isInstanceOf(ModelException.class)
                .hasMessageContaining("tokenizer.json").hasMessageContaining(empty.toString());
    }
}
