package dev.sextant.host.pipeline;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.TokenListener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one pipeline run: the input, named slots that steps read and write, limits and a
 * listener for streamed tokens. Not shared between runs.
 */
public final class RunContext {

    /** The text a generation continues; starts as the input, a compressor may replace it. */
    public static final String PROMPT = "prompt";
    /** The generated text of the last generate step. */
    public static final String OUTPUT = "output";
    /** The last generate step's details. */
    public static final String GENERATION = "generation";
    /** The last attribute step's result. */
    public static final String ATTRIBUTION = "attribution";
    /** The last compress step's report. */
    public static final String COMPRESSION = "compression";
    /** The last select step's report. */
    public static final String SELECTION = "selection";
    /** The last heads step's predictions: head name to prediction. */
    public static final String PREDICTIONS = "predictions";
    /** The slots every run starts with. */
    public static final java.util.Set<String> INITIAL_SLOTS = java.util.Set.of(PROMPT);

    private final String input;
    private final RunLimits limits;
    private final TokenListener listener;
    private final Map<String, Object> slots = new LinkedHashMap<>();
    private final java.util.List<dev.sextant.spi.decode.LogitsProcessor> requestProcessors;

    public RunContext(String input, RunLimits limits, TokenListener listener) {
        this(input, limits, listener, java.util.List.of());
    }

    /** @param requestProcessors processors the request brought (its constraint), for every generate step */
    public RunContext(String input, RunLimits limits, TokenListener listener,
            java.util.List<dev.sextant.spi.decode.LogitsProcessor> requestProcessors) {
        this.input = input;
        this.limits = limits;
        this.listener = listener;
        this.requestProcessors = java.util.List.copyOf(requestProcessors);
        slots.put(PROMPT, input);
    }

    /** Processors the request brought (its constraint): generate steps apply them after their own. */
    public java.util.List<dev.sextant.spi.decode.LogitsProcessor> requestProcessors() {
        return requestProcessors;
    }

    /** The run's input text. */
    public String input() {
        return input;
    }

    /** The limits this run is under. */
    public RunLimits limits() {
        return limits;
    }

    /** Receives tokens of generate steps as they are made. */
    public TokenListener listener() {
        return listener;
    }

    /** A slot's value, or {@code null}. */
    public Object slot(String name) {
        return slots.get(name);
    }

    /** Sets a slot. */
    public void put(String name, Object value) {
        slots.put(name, value);
    }

    /** All slots in the order they were first written. */
    public Map<String, Object> slots() {
        return java.util.Collections.unmodifiableMap(slots);
    }
}
