package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import dk.brics.automaton.Automaton;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code regex} processor component: compiled once per tokenizer (its masks cached there and
 * shared by all requests), applied per generation by a fresh {@link ConstraintProcessor}.
 */
final class RegexProcessor implements LogitsProcessor {

    private final String pattern;
    private final Automaton automaton;
    private final Map<Tokenizer, AutomatonConstraint> compiled = new WeakHashMap<>();

    RegexProcessor(String pattern, Automaton automaton) {
        this.pattern = pattern;
        this.automaton = automaton;
    }

    @Override
    public LogitsProcessor prepare(Tokenizer tokenizer, ModelInfo model) {
        return new ConstraintProcessor(constraint(tokenizer, model.eosTokenIds()));
    }

    @Override
    public LogitsProcessor prepare(Tokenizer tokenizer) {
        throw new IllegalStateException("the regex processor needs the model's end-of-sequence ids: decoders call"
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
        throw new IllegalStateException("prepare the regex processor for a model first");
    }

    @Override
    public String toString() {
        return "regex(" + pattern + ")";
    }
}
