package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ParallelCallsTest {

    private static List<int[]> rows(OnnxCausalLm model) {
        int[] ids = model.tokenizer().encode("context : mia lives in oslo . question : where does mia live ? answer :",
                true).ids();
        List<int[]> rows = new ArrayList<>();
        for (int cut = 2; cut <= ids.length; cut++) {
            rows.add(Arrays.copyOf(ids, cut));
        }
        return rows;
    }

    @Test
    void batchesRunAtOnceGiveTheSameLogitsAndScoresAsInTurn() throws Exception {
        try (OnnxCausalLm serial = OnnxCausalLmFactory.load(StoryLm.folder(),
                new OnnxCausalLmConfig(".", 1, 1, 4, 1));
                OnnxCausalLm parallel = OnnxCausalLmFactory.load(StoryLm.folder(),
                        new OnnxCausalLmConfig(".", 1, 1, 4, 3))) {
            List<int[]> rows = rows(serial);
            assertThat(rows.size()).isGreaterThan(3 * 4);
            float[][] expected = serial.nextTokenLogits(rows, RunLimits.DEFAULT);
            float[][] actual = parallel.nextTokenLogits(rows, RunLimits.DEFAULT);
            for (int r = 0; r < rows.size(); r++) {
                assertThat(actual[r]).as("row %d", r).containsExactly(expected[r]);
            }
            float[][] expectedScores = serial.logProbabilities(rows, RunLimits.DEFAULT);
            float[][] actualScores = parallel.logProbabilities(rows, RunLimits.DEFAULT);
            for (int r = 0; r < rows.size(); r++) {
                assertThat(actualScores[r]).as("row %d", r).containsExactly(expectedScores[r]);
            }
        }
    }

    @Test
    void callsRunOnTheirOwnThreadsAndTheFirstFailureIsReported() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (ParallelCalls calls = new ParallelCalls(2, "test")) {
            List<ParallelCalls.Call> work = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                work.add(() -> {
                    threads.add(Thread.currentThread().getName());
                    if (n == 4) {
                        throw new InputException("call 4 failed");
                    }
                });
            }
            assertThatThrownBy(() -> calls.runAll(work)).isInstanceOf(InputException.class)
                    .hasMessage("call 4 failed");
            assertThat(threads).allMatch(name -> name.startsWith("sextant-test-call-"));
        }
    }

    @Test
    void oneAtATimeRunsOnTheCallersThread() throws SextantException {
        List<String> threads = new ArrayList<>();
        try (ParallelCalls calls = new ParallelCalls(1, "test")) {
            calls.runAll(List.of(() -> threads.add(Thread.currentThread().getName()),
                    () -> threads.add(Thread.currentThread().getName())));
        }
        assertThat(threads).containsOnly(Thread.currentThread().getName());
    }
}
