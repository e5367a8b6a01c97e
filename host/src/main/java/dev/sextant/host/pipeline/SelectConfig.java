package dev.sextant.host.pipeline;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;

/** Options of the {@code select} step. */
public record SelectConfig(
        @Option(description = "The selector, e.g. a component of type zipfit.", required = true,
                reference = ComponentKind.COMPRESSOR)
        String selector,
        @Option(description = "Candidates: a JSON Lines file (the text in field) or a text file (one per line),"
                + " relative to the pipeline file; read when the file loads.", required = true)
        String corpus,
        @Option(description = "The JSON field holding each candidate's text.", defaultValue = "text")
        String field,
        @Option(description = "How many of the best candidates go into the prompt.", defaultValue = "3", min = 1)
        int topK,
        @Option(description = "Only candidates scoring at least this go in; none means no score limit.")
        Double threshold,
        @Option(description = "Put between the selected texts, and between them and the prompt.",
                defaultValue = "\"\\n\"")
        String separator) {
}
