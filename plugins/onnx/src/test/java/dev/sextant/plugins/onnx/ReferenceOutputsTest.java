package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.argmax;
import static dev.sextant.plugins.onnx.StoryLm.floats;
import static dev.sextant.plugins.onnx.StoryLm.ints;
import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java path reproduces what torch computed for the forge's reference.json. */
class ReferenceOutputsTest {

    private static final float TOLERANCE = 1e-4f;

    private static OnnxCausalLm model;
    private static JsonObject reference;

    @BeforeAll
    static void load() throws Exception {
        model = StoryLm.load();
        reference = StoryLm.json("reference.json");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void promptIdsMatchTheReferenceTokenization() {
        for (JsonElement e : reference.getAsJsonArray("entries")) {
            JsonObject entry = e.getAsJsonObject();
            assertThat(model.tokenizer().encode(entry.get("text").getAsString(), true).ids())
                    .containsExactly(ints(entry.getAsJsonArray("input_ids")));
        }
    }

    @Test
    void greedyContinuationAndLogitsEqualTorchForEveryPrompt() throws Exception {
        int eos = reference.get("eos_token_id").getAsInt();
        for (JsonElement e : reference.getAsJsonArray("entries")) {
            JsonObject entry = e.getAsJsonObject();
            int[] prompt = ints(entry.getAsJsonArray("input_ids"));
            int[] expected = ints(entry.getAsJsonArray("greedy_ids"));
            JsonArray logits = entry.getAsJsonArray("logits");
            int steps = expected.length + (expected.length < 20 ? 1 : 0); // the last step predicts EOS
            try (DecodingState state = model.start(List.of(prompt), RunLimits.DEFAULT)) {
                for (int step = 0; step < steps; step++) {
                    float[] next = state.logits(0);
                    if (step < logits.size()) {
                        assertThat(maxAbsDiff(next, floats(logits.get(step).getAsJsonArray())))
                                .as("logits at step %d of %s", step, entry.get("text")).isLessThan(TOLERANCE);
                    }
                    int want = step < expected.length ? expected[step] : eos;
                    int got = argmax(next);
                    // torch and ONNX Runtime may break a near-tie differently: then follow torch
                    if (got != want) {
                        assertThat(next[got] - next[want]).as("step %d of %s: argmax %d instead of %d", step,
                                entry.get("text"), got, want).isLessThan(TOLERANCE);
                    }
                    if (step < expected.length) {
                        state.append(new int[] {want});
                    }
                }
                assertThat(state.tokens(0)).endsWith(expected);
            }
            assertThat(model.tokenizer().decode(expected, true)).isEqualTo(entry.get("greedy_text").getAsString());
        }
    }

    @Test
    void leftPaddedBatchEqualsTheBatchedReferenceAndEachPromptAlone() throws Exception {
        JsonObject batched = reference.getAsJsonObject("batched");
        JsonArray texts = batched.getAsJsonArray("texts");
        JsonArray lastLogits = batched.getAsJsonArray("last_logits");
        List<int[]> prompts = new ArrayList<>();
        for (JsonElement text : texts) {
            prompts.add(model.tokenizer().encode(text.getAsString(), true).ids());
        }
        int steps = 12;
        float[][][] alone = new float[prompts.size()][steps][];
        for (int r = 0; r < prompts.size(); r++) {
            try (DecodingState state = model.start(List.of(prompts.get(r)), RunLimits.DEFAULT)) {
                for (int s = 0; s < steps; s++) {
                    alone[r][s] = state.logits(0);
                    state.append(new int[] {argmax(alone[r][s])});
                }
            }
        }
        try (DecodingState state = model.start(prompts, RunLimits.DEFAULT)) {
            for (int r = 0; r < prompts.size(); r++) {
                assertThat(maxAbsDiff(state.logits(r), floats(lastLogits.get(r).getAsJsonArray())))
                        .as("batched reference row %d", r).isLessThan(TOLERANCE);
                assertThat(state.promptLength(r)).isEqualTo(prompts.get(r).length);
            }
            for (int s = 0; s < steps; s++) {
                int[] next = new int[prompts.size()];
                for (int r = 0; r < prompts.size(); r++) {
                    float[] logits = state.logits(r);
                    assertThat(maxAbsDiff(logits, alone[r][s])).as("row %d step %d", r, s).isLessThan(TOLERANCE);
                    next[r] = argmax(alone[r][s]);
                    int got = argmax(logits);
                    if (got != next[r]) { // only a near-tie may be broken differently
                        assertThat(logits[got] - logits[next[r]]).as("row %d step %d", r, s).isLessThan(TOLERANCE);
                    }
                }
                state.append(next);
            }
        }
    }
}
