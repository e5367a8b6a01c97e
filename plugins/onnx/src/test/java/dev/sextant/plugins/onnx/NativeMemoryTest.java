package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every path closes its native tensors. */
class NativeMemoryTest {

    private static final int BEAMS = 32;
    private static OnnxCausalLm model;
    private static int[] prompt;

    @BeforeAll
    static void load() throws Exception {
        model = StoryLm.load();
        int[] text = model.tokenizer().encode("one sunny morning , tom went to the old market . ", false).ids();
        prompt = new int[100];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = text[i % text.length];
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Resident set size of this JVM in MiB, from /proc (Linux only; -1 elsewhere). */
    private static long residentMiB() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** One state through every operation; its widest cache is about 14 MiB (32 rows of 100+ tokens). */
    private static void cycle() throws Exception {
        try (DecodingState state = model.start(List.of(prompt), RunLimits.DEFAULT)) {
            state.append(new int[] {258});
            int[] beams = new int[BEAMS];
            state.fork(beams);
            int[] next = new int[BEAMS];
            state.append(next);
            int[][] draft = new int[BEAMS][3];
            state.appendAll(draft);
            state.rewind(0, 1);
            state.rewind(1, 4);
            state.logits(1);
            state.fork(new int[] {3, 1, 2});
        }
    }

    @Test
    void statesThatAreClosedOrFailLeaveNoCacheOpen() throws Exception {
        int before = KvCache.openCaches();
        cycle();
        DecodingState state = model.start(List.of(prompt), RunLimits.DEFAULT);
        state.append(new int[] {258});
        assertThat(KvCache.openCaches()).isEqualTo(before + 1);
        state.close();
        assertThat(KvCache.openCaches()).isEqualTo(before);

        RunLimits expired = RunLimits.DEFAULT.withDeadline(Instant.now().plusMillis(50));
        try (DecodingState late = model.start(List.of(prompt), expired)) {
            Thread.sleep(60);
            assertThatThrownBy(() -> late.append(new int[] {1})).isInstanceOf(CancelledException.class);
        }
        assertThatThrownBy(() -> model.start(List.of(prompt, new int[] {-1}), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class);
        assertThat(KvCache.openCaches()).isEqualTo(before);
    }

    @Test
    void manyStatesOpenedAndClosedDoNotGrowTheProcess() throws Exception {
        int before = KvCache.openCaches();
        for (int i = 0; i < 10; i++) {
            cycle();
        }
        System.gc();
        long start = residentMiB();
        for (int i = 0; i < 60; i++) {
            cycle();
        }
        System.gc();
        long end = residentMiB();
        assertThat(KvCache.openCaches()).isEqualTo(before);
        // leaking the widest cache of each state alone would add about 850 MiB
        assertThat(end - start).as("RSS growth in MiB (%d -> %d)", start, end).isLessThan(250);
    }
}
