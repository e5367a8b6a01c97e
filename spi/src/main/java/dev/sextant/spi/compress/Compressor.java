package dev.sextant.spi.compress;

import dev.sextant.spi.SextantException;

/** A prompt compressor. Thread-safe. */
public interface Compressor {

    /** Compresses a context, optionally guided by a question. */
    Compression compress(CompressionRequest request) throws SextantException;
}
