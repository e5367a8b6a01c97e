package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A constraint processor component ({@code regex}, {@code json-schema}, {@code grammar}): its language as
 * a {@link Grammar}, compiled once per tokenizer (an {@link AutomatonConstraint} when the language is
 * regular, else a {@link GrammarConstraint}; their masks cached there and shared by all requests),
 * applied per generation by a fresh {@link ConstraintProcessor}.
 */
final class LanguageProcessor implements LogitsProcessor {

    private final String description;
    private final Grammar grammar;
    private GrammarMachine machine;
    private final Map<Tokenizer, Constraint> compiled = new WeakHashMap<>();

    LanguageProcessor(String description, Grammar grammar) {
        this.description = description;
        this.grammar = grammar;
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
    Constraint constraint(Tokenizer tokenizer, Set<Integer> endIds) {
        synchronized (compiled) {
            return compiled.computeIfAbsent(tokenizer, t -> {
                Vocabularies.Vocabulary v = Vocabularies.of(t, endIds);
                if (grammar.isRegular()) {
                    return new AutomatonConstraint(grammar.top(), v.bytes(), v.trie());
                }
                if (machine == null) {
                    machine = new GrammarMachine(grammar);
                }
                return new GrammarConstraint(machine, v.bytes(), v.trie());
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
