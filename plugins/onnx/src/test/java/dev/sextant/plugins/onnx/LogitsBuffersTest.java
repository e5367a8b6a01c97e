package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class LogitsBuffersTest {

    @Test
    void aLeaseHasExactlyTheFloatsAskedForInADirectBuffer() {
        LogitsBuffers buffers = new LogitsBuffers();
        try (LogitsBuffers.Lease lease = buffers.take(12)) {
            FloatBuffer buffer = lease.buffer();
            assertThat(buffer.isDirect()).isTrue();
            assertThat(buffer.position()).isZero();
            assertThat(buffer.remaining()).isEqualTo(12);
            assertThat(buffer.capacity()).isEqualTo(12);
        }
    }

    @Test
    void aGivenBackBufferServesTheNextCallOfTheSameOrSmallerSize() {
        LogitsBuffers buffers = new LogitsBuffers();
        try (LogitsBuffers.Lease lease = buffers.take(100)) {
            lease.buffer().put(3, 42f);
        }
        try (LogitsBuffers.Lease lease = buffers.take(10)) {
            assertThat(lease.buffer().get(3)).as("the same memory again").isEqualTo(42f);
            assertThat(lease.buffer().remaining()).isEqualTo(10);
        }
    }

    @Test
    void leasesHeldAtOnceNeverShareMemory() {
        LogitsBuffers buffers = new LogitsBuffers();
        try (LogitsBuffers.Lease big = buffers.take(100)) {
            big.buffer().put(0, 1f);
        }
        try (LogitsBuffers.Lease a = buffers.take(50); LogitsBuffers.Lease b = buffers.take(50)) {
            a.buffer().put(0, 7f);
            b.buffer().put(0, 9f);
            assertThat(a.buffer().get(0)).isEqualTo(7f);
            assertThat(b.buffer().get(0)).isEqualTo(9f);
        }
    }
}
