package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import dk.brics.automaton.Automaton;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real large vocabularies (GPT-2's 50k, cl100k, o200k, as the jtokkit artefact ships them): masks agree
 * with the byte-level oracle, and random walks through the mask always end in a full match.
 */
class LargeVocabularyTest {

    static final String RECORD = "\\{\"name\": \"[a-z ]{1,12}\", \"age\": (0|[1-9][0-9]?), \"city\": \"(oslo|paris|"
            + "são paulo|東京)\"\\}";

    /** A tiktoken rank file as token bytes, with one more id after the last rank for end-of-sequence. */
    /**
     * GPT-2's {@code n} most frequent tokens (the lowest ranks) and an end-of-sequence token as id
     * {@code n}: a vocabulary small enough for many walks whose tokens still cross every boundary.
     */
    static TokenBytes gpt2Head(int n) throws Exception {
        TokenBytes full = load("r50k_base");
        byte[][] bytes = new byte[n + 1][];
        for (int id = 0; id < n; id++) {
            bytes[id] = full.bytes(id);
        }
        return new TokenBytes(bytes, java.util.Set.of(n));
    }

    static TokenBytes load(String name) throws Exception {
        List<byte[]> tokens = new ArrayList<>();
        try (InputStream in = LargeVocabularyTest.class.getResourceAsStream("/com/knuddels/jtokkit/" + name
                + ".tiktoken"); BufferedReader reader = new BufferedReader(new InputStreamReader(in,
                        StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(" ");
                int rank = Integer.parseInt(parts[1]);
                while (tokens.size() <= rank) {
                    tokens.add(null);
                }
                tokens.set(rank, Base64.getDecoder().decode(parts[0]));
            }
        }
        tokens.add(null);
        return new TokenBytes(tokens.toArray(new byte[0][]), Set.of(tokens.size() - 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"r50k_base", "cl100k_base", "o200k_base"})
    void masksAreExactAndWalksEndInAMatch(String name) throws Exception {
        TokenBytes vocabulary = load(name);
        int end = vocabulary.size() - 1;
        Automaton language = EcmaRegex.parse(RECORD);
        Automaton prefixes = AutomatonConstraintTest.prefixes(language);
        AutomatonConstraint constraint = new AutomatonConstraint(language, vocabulary, new TokenTrie(vocabulary));
        long[] allowed = new long[(vocabulary.size() + 63) / 64];
        Random random = new Random(7);
        for (int walk = 0; walk < 12; walk++) {
            ConstraintState state = constraint.start();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int step = 0; step < 200; step++) {
                state.allowed(allowed);
                List<Integer> choices = new ArrayList<>();
                for (int id = 0; id < end; id++) {
                    if ((allowed[id >>> 6] & (1L << id)) != 0) {
                        choices.add(id);
                    }
                }
                if (walk < 2 && step < 6) {
                    // the first steps of two walks check every token against the oracle (the quote, the
                    // name, multi-byte characters); the oracle is slow, the mask is not
                    for (int id = 0; id < end; id++) {
                        byte[] b = vocabulary.bytes(id);
                        boolean expected = b != null && AutomatonConstraintTest.isPrefix(prefixes,
                                concat(text.toByteArray(), b));
                        assertThat((allowed[id >>> 6] & (1L << id)) != 0).as("%s token %d after %s", name, id,
                                text.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
                    }
                }
                if (choices.isEmpty()) {
                    break;
                }
                // prefer long tokens half of the time, so walks cross many boundaries inside tokens
                int token = choices.get(random.nextInt(choices.size()));
                if (random.nextBoolean()) {
                    for (int k = 0; k < 8; k++) {
                        int other = choices.get(random.nextInt(choices.size()));
                        if (vocabulary.bytes(other).length > vocabulary.bytes(token).length) {
                            token = other;
                        }
                    }
                }
                assertThat(state.advance(token)).isTrue();
                text.write(vocabulary.bytes(token));
            }
            String out = text.toString(StandardCharsets.UTF_8);
            assertThat(state.complete()).as("%s walk %d: %s", name, walk, out).isTrue();
            assertThat(language.run(out)).as(out).isTrue();
            state.allowed(allowed);
            assertThat((allowed[end >>> 6] & (1L << end)) != 0).as("end allowed after %s", out).isTrue();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
