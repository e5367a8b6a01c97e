package dev.sextant.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void allRunsEveryBenchmarkOnce() {
        BenchOptions options = BenchOptions.parse(new String[] {"greedy-loop", "all"});
        assertThat(options.benchmarks()).containsExactlyElementsOf(BenchOptions.BENCHMARKS);
    }

    @Test
    void defaultsWarmUpTwentyRunsAndMeasureThirtyRounds() {
        BenchOptions options = BenchOptions.parse(new String[] {"greedy-loop", "--root", "/x"});
        assertThat(options.warmup()).isEqualTo(20);
        assertThat(options.rounds()).isEqualTo(30);
        assertThat(options.pluginsDir()).isEqualTo(Path.of("/x/target/plugins"));
        assertThat(options.pipelines("greedy-loop")).isEqualTo(Path.of("/x/bench/pipelines/greedy-loop.yaml"));
    }

    @Test
    void optionsOverrideTheDefaults() {
        BenchOptions options = BenchOptions.parse(new String[] {"greedy-loop", "--warmup", "3", "--rounds", "5",
                "--prompt", "a b c", "--plugins", "/p", "--pipelines", "/f.yaml"});
        assertThat(options.warmup()).isEqualTo(3);
        assertThat(options.rounds()).isEqualTo(5);
        assertThat(options.prompt()).isEqualTo("a b c");
        assertThat(options.pluginsDir()).isEqualTo(Path.of("/p"));
        assertThat(options.pipelines("greedy-loop")).isEqualTo(Path.of("/f.yaml"));
    }

    @Test
    void refusesAnUnknownBenchmarkNamingTheKnownOnes() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"beam-loop"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown benchmark 'beam-loop'")
                .hasMessageContaining("greedy-loop");
    }

    @Test
    void refusesNoBenchmarkAndBadCounts() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rounds", "3"}))
                .hasMessageContaining("name a benchmark");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"greedy-loop", "--rounds", "0"}))
                .hasMessageContaining("--rounds");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"greedy-loop", "--warmup"}))
                .hasMessageContaining("needs a value");
    }
}
