package dev.sextant.plugins.compressors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JSON context for {@code structure: json}: its string values (not keys) are the text to compress,
 * everything else (keys, numbers, literals, punctuation, whitespace) is written back unchanged. Values
 * are found with Jackson's streaming parser, which also checks that the context is one well-formed
 * JSON object or array.
 *
 * <p>The values are classified as one text, joined by line breaks (so the model sees them in context,
 * and chunks end between them); each value's offset in that text maps back to its characters in the
 * original, escapes included.
 */
final class Llmlingua2Json {

    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * One string value.
     *
     * @param rawStart the original offset just after its opening quote
     * @param rawEnd the original offset of its closing quote
     * @param joinedStart where its decoded text starts in {@link #joined()}
     * @param decoded its text, escapes resolved
     * @param raw for each decoded offset 0..length, the original offset it starts at
     */
    record Value(int rawStart, int rawEnd, int joinedStart, String decoded, int[] raw) {

        int joinedEnd() {
            return joinedStart + decoded.length();
        }

        /** The original offset of a joined-text offset inside this value (its end included). */
        int toRaw(int joinedOffset) {
            return raw[joinedOffset - joinedStart];
        }
    }

    private final String context;
    private final List<Value> values;
    private final String joined;

    private Llmlingua2Json(String context, List<Value> values, String joined) {
        this.context = context;
        this.values = values;
        this.joined = joined;
    }

    /**
     * Reads a context as JSON.
     *
     * @return empty, with the reason in {@code why[0]}, if it is not one JSON object or array
     */
    static Optional<Llmlingua2Json> parse(String context, String[] why) {
        List<Value> values = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        try (JsonParser parser = FACTORY.createParser(context)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                why[0] = "it is not a JSON object or array";
                return Optional.empty();
            }
            int depth = 1;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (depth == 0) {
                    why[0] = "it holds more than one JSON value";
                    return Optional.empty();
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                }
                if (token == JsonToken.VALUE_STRING) {
                    int quote = (int) parser.currentTokenLocation().getCharOffset();
                    if (quote < 0 || quote >= context.length() || context.charAt(quote) != '"') {
                        why[0] = "a string value's offset could not be read";
                        return Optional.empty();
                    }
                    Value value = decode(context, quote, joined.isEmpty() ? 0 : joined.length() + 1);
                    if (!value.decoded().equals(parser.getText())) {
                        why[0] = "a string value could not be located";
                        return Optional.empty();
                    }
                    if (!joined.isEmpty()) {
                        joined.append('\n');
                    }
                    joined.append(value.decoded());
                    values.add(value);
                }
            }
        } catch (IOException e) {
            why[0] = "it is not valid JSON (" + firstLine(e.getMessage()) + ")";
            return Optional.empty();
        }
        return Optional.of(new Llmlingua2Json(context, List.copyOf(values), joined.toString()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Decodes the string whose opening quote is at {@code quote}, keeping each char's original offset. */
    private static Value decode(String context, int quote, int joinedStart) {
        StringBuilder text = new StringBuilder();
        int[] raw = new int[16];
        int i = quote + 1;
        while (context.charAt(i) != '"') {
            if (text.length() + 1 >= raw.length) {
                raw = java.util.Arrays.copyOf(raw, raw.length * 2);
            }
            raw[text.length()] = i;
            char c = context.charAt(i);
            if (c != '\\') {
                text.append(c);
                i++;
                continue;
            }
            char escaped = context.charAt(i + 1);
            switch (escaped) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'u' -> text.append((char) Integer.parseInt(context.substring(i + 2, i + 6), 16));
                default -> text.append(escaped); // " \ /
            }
            i += escaped == 'u' ? 6 : 2;
        }
        raw[text.length()] = i;
        return new Value(quote + 1, i, joinedStart, text.toString(), java.util.Arrays.copyOf(raw, text.length() + 1));
    }

    /** The string values, in order. */
    List<Value> values() {
        return values;
    }

    /** The values' decoded texts joined by line breaks: the text to classify. */
    String joined() {
        return joined;
    }

    /**
     * The context with each value's text replaced by its compressed text (escaped as JSON needs).
     *
     * @param compressed one text per value, in order
     */
    String write(List<String> compressed) {
        StringBuilder out = new StringBuilder(context.length());
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        int at = 0;
        for (int k = 0; k < values.size(); k++) {
            Value value = values.get(k);
            out.append(context, at, value.rawStart());
            out.append(encoder.quoteAsString(compressed.get(k)));
            at = value.rawEnd();
        }
        return out.append(context, at, context.length()).toString();
    }

    /** The original's chars outside the string values' texts (keys, punctuation, quotes), as start/end pairs. */
    int[] structure() {
        int[] spans = new int[2 * (values.size() + 1)];
        int n = 0;
        int at = 0;
        for (Value value : values) {
            if (value.rawStart() > at) {
                spans[n++] = at;
                spans[n++] = value.rawStart();
            }
            at = value.rawEnd();
        }
        if (context.length() > at) {
            spans[n++] = at;
            spans[n++] = context.length();
        }
        return java.util.Arrays.copyOf(spans, n);
    }
}
