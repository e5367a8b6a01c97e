/**
 * Prompt compression and data selection: shrink a prompt before the model reads it, keeping what
 * matters for the question.
 */
package dev.sextant.spi.compress;
