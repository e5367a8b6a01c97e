package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import dk.brics.automaton.Automaton;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A constraint processor component ({@code regex}, {@code json-schema}): its language as an automaton,
 * compiled once per tokenizer (the masks cached there and shared by all requests), applied per
 * generation by a fresh {@link ConstraintProcessor}.
 */
final class AutomatonProcessor implements LogitsProcessor {

    private final String description;
    private final Automaton automaton;
    private final Map<Tokenizer, AutomatonConstraint> compiled = new WeakHashMap<>();

    AutomatonProcessor(String description, Automaton automaton) {
        this.description = description;
        this.automaton = automaton;
    }

    @Override
    public LogitsProcessor prepare(Tokenizer tokenizer, ModelInfo model) {
        return new ConstraintProcessor(constraint(tokenizer, model.eosTokenIds()));
    }

    @Override
    public LogitsProcessor prepare(Tokenizer tokenizer) {
        throw new IllegalStateException(description + " needs the model's end-of-sequence ids: decoders call"
                + " prepare(tokenizer, model)");
    }

    /** The constraint for this tokenizer, compiled on first use. */
    AutomatonConstraint constraint(Tokenizer tokenizer, java.util.Set<Integer> endIds) {
        synchronized (compiled) {
            return compiled.computeIfAbsent(tokenizer, t -> {
                Vocabularies.Vocabulary v = Vocabularies.of(t, endIds);
                return new AutomatonConstraint(automaton, v.bytes(), v.trie());
            });
        }
    }

    @Override
    public void process(int row, int[] tokens, int promptLength, float[] scores) {
        throw new IllegalStateException("prepare " + description + " for a model first");
    }

    @Override
    public String toString() {
        return description;
    }
}
