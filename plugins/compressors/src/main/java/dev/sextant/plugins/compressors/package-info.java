/**
 * Prompt compressors ({@code llmlingua2}, {@code self-information}) and data selectors
 * ({@code zipfit}), reached by the host only through the SPI.
 */
package dev.sextant.plugins.compressors;
