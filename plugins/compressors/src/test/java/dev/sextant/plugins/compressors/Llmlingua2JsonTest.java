package dev.sextant.plugins.compressors;

import static dev.sextant.plugins.compressors.Llmlingua2Texts.config;
import static dev.sextant.plugins.compressors.Llmlingua2Texts.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.Span;
import dev.sextant.spi.compress.WordScore;
import dev.sextant.spi.testing.ByteTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Llmlingua2JsonTest {

    private static final String JSON = """
            {
              "title": "The quick brown fox jumps over the lazy dog near the old river bank today.",
              "tags": ["alpha beta gamma delta epsilon", "x"],
              "count": 42,
              "nested": {"text": "Some \\"quoted\\" words\\nand a new line with caf\\u00e9 items and more words",
                         "flag": true, "none": null, "ratio": 0.25},
              "empty": ""
            }
            """;

    /** The parse events of a JSON text, with string values replaced by a marker. */
    private static List<String> structure(String json) throws IOException {
        List<String> events = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                events.add(token == JsonToken.VALUE_STRING ? "string" : token + " " + parser.getText());
            }
        }
        return events;
    }

    private static List<String> strings(String json) throws IOException {
        List<String> values = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.VALUE_STRING) {
                    values.add(parser.getText());
                }
            }
        }
        return values;
    }

    private static Compression compress(Compressor compressor, String text, Budget budget) throws Exception {
        return compressor.compress(new CompressionRequest(text, null, budget, new RunLimits(100_000, null, null)));
    }

    @Test
    void onlyStringValuesAreCompressedAndTheOutputStaysValidJson() throws Exception {
        for (var tokenizer : List.of(Llmlingua2TestTokenizer.wordpiece(), Llmlingua2TestTokenizer.sentencepiece(),
                new ByteTokenizer())) {
            Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(tokenizer, 32, Llmlingua2FakeTagger.hashed());
            Compressor compressor = create(tagger, config("mean", List.of(), true, true, "json"));
            Compression c = compress(compressor, JSON, Budget.rate(0.75));
            assertThat(structure(c.text())).isEqualTo(structure(JSON));
            List<String> before = strings(JSON);
            List<String> after = strings(c.text());
            assertThat(after).hasSameSizeAs(before);
            for (int k = 0; k < before.size(); k++) {
                assertThat(after.get(k).length()).isLessThanOrEqualTo(before.get(k).length());
            }
            assertThat(String.join("", after).length()).isLessThan(String.join("", before).length());
            assertThat(c.compressedTokens()).isLessThanOrEqualTo((int) Math.floor(0.75 * c.originalTokens()));
            assertThat(c.info()).containsEntry("structure", "json").containsEntry("warnings", List.of());
            for (WordScore w : c.words()) {
                assertThat(JSON.substring(w.span().start(), w.span().end())).isEqualTo(w.word());
            }
            // Keys and punctuation lie in kept spans.
            int key = JSON.indexOf("\"nested\": {");
            assertThat(c.kept()).anySatisfy(s -> assertThat(s.start() <= key && s.end() >= key + 11).isTrue());
            assertThat(c.dropped()).noneSatisfy(s -> assertThat(JSON.substring(s.start(), s.end())).contains(":"));
        }
    }

    @Test
    void escapedTextIsWrittenBackEscaped() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.sentencepiece(), 64,
                Llmlingua2FakeTagger.wordList(java.util.Set.of("\"quoted\"", "tab", "stop", "café", "end")));
        String json = "[\"drop \\\"quoted\\\" drop\", \"drop tab\\tstop caf\\u00e9 end\"]";
        Compression c = compress(create(tagger, config("mean", List.of(), true, true, "json")), json,
                Budget.threshold(0.5));
        assertThat(strings(c.text())).containsExactly("\"quoted\"", "tab\tstop café end");
        assertThat(c.text()).isEqualTo("[\"\\\"quoted\\\"\", \"tab\\tstop café end\"]");
        WordScore quoted = c.words().get(1);
        assertThat(quoted.word()).isEqualTo("\\\"quoted\\\"");
        assertThat(quoted.span()).isEqualTo(new Span(7, 17));
    }

    @Test
    void notJsonFallsBackToTextWithAWarning() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                Llmlingua2FakeTagger.hashed());
        Compressor compressor = create(tagger, config("mean", List.of(), true, true, "json"));
        for (String text : List.of("not json at all {", "{\"a\": 1} {\"b\": 2}", "\"just a string\"", "{\"a\": }")) {
            Compression c = compress(compressor, text, Budget.rate(0.5));
            assertThat(c.info()).containsEntry("structure", "none");
            assertThat(c.info().get("warnings").toString()).contains("structure: json: compressed the context as"
                    + " plain text because");
        }
    }

    @Test
    void jsonWithoutStringsIsReturnedAsItIs() throws Exception {
        Llmlingua2FakeTagger tagger = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
                Llmlingua2FakeTagger.hashed());
        Compression c = compress(create(tagger, config("mean", List.of(), true, true, "json")), "[1, 2, {\"a\": null}]",
                Budget.rate(0.5));
        assertThat(c.text()).isEqualTo("[1, 2, {\"a\": null}]");
        assertThat(c.kept()).containsExactly(new Span(0, 19));
        assertThat(tagger.calls).isEmpty();
        assertThat(c.info().get("warnings").toString()).contains("JSON structure");
    }
}
