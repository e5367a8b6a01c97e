package dev.sextant.plugins.constraints;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.constraint.AlignedConstraintProcessor;
import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.constraint.ExpectedFutures;
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
 * applied per generation by a fresh {@link ConstraintProcessor}, or with {@code sampling: aligned} an
 * {@link AlignedConstraintProcessor} sharing this component's {@link ExpectedFutures}.
 */
final class LanguageProcessor implements LogitsProcessor {

    private final String description;
    private final Grammar grammar;
    private GrammarMachine machine;
    private final Map<Tokenizer, Constraint> compiled = new WeakHashMap<>();
    /** The sampled-prefix trees of grammar-aligned sampling, or null when sampling is masked. */
    private final ExpectedFutures futures;

    LanguageProcessor(String description, Grammar grammar, boolean aligned) {
        this.description = description;
        this.grammar = grammar;
        this.futures = aligned ? new ExpectedFutures() : null;
    }

    /** Whether {@code sampling} (masked or aligned) asks for grammar-aligned sampling. */
    static boolean aligned(String sampling) throws ConfigException {
        if (sampling == null || sampling.equals("masked")) {
            return false;
        }
        if (sampling.equals("aligned")) {
            return true;
        }
        throw new ConfigException("sampling", "sampling must be masked or aligned, got '" + sampling + "'");
    }

    @Override
    public LogitsProcessor prepare(Tokenizer tokenizer, ModelInfo model) {
        Constraint constraint = constraint(tokenizer, model.eosTokenIds());
        return futures == null ? new ConstraintProcessor(constraint)
                : new AlignedConstraintProcessor(constraint, futures, model);
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
                    return new AutomatonConstraint(grammar.top(), v.bytes(), v.trie(),
                            AutomatonConstraint.MAX_CACHED_BYTES, true);
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
