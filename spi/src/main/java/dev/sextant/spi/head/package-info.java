/**
 * Task heads: small trained predictors that read the embeddings of one shared encoder pass, so
 * many tasks cost one model run.
 */
package dev.sextant.spi.head;
