package dev.sextant.host.pipeline;

import dev.sextant.host.config.InvalidOptionException;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import java.util.List;
import java.util.Set;

/** Options of the {@code heads} step. */
public record HeadsConfig(
        @Option(description = "The encoder whose one pass all the heads read (a model of type onnx-encoder).",
                required = true, reference = ComponentKind.MODEL)
        String encoder,
        @Option(description = "The task heads to run on that pass, in the order their predictions are listed.",
                required = true, reference = ComponentKind.HEAD)
        List<String> heads,
        @Option(description = "Which text the heads read: input (the run's input), prompt (after any step that"
                + " rewrote it) or output (the last generate step's text).", defaultValue = "input")
        String text) {

    /** The texts a heads step can read. */
    public static final Set<String> TEXTS = Set.of("input", RunContext.PROMPT, RunContext.OUTPUT);

    public HeadsConfig {
        if (heads != null && heads.isEmpty()) {
            throw new InvalidOptionException("heads", "must list at least one head");
        }
        if (heads != null && heads.size() != Set.copyOf(heads).size()) {
            throw new InvalidOptionException("heads", "lists a head twice: " + heads);
        }
        if (text != null && !TEXTS.contains(text)) {
            throw new InvalidOptionException("text", "must be input, prompt or output, not '" + text + "'");
        }
    }
}
