package dev.sextant.host.pipeline;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.head.Head;
import dev.sextant.spi.model.Encoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs several task heads on one encoder pass over a text of the run; writes {@code predictions},
 * a map from head name to its {@link dev.sextant.spi.head.Prediction}.
 */
public final class HeadsStep implements Step {

    /** The {@code heads} step type. */
    public static final StepType<HeadsConfig> TYPE = new StepType<>() {
        @Override
        public String name() {
            return "heads";
        }

        @Override
        public String description() {
            return "Predict with several task heads (topic, sentiment, a score, ...) from one encoder pass.";
        }

        @Override
        public Class<HeadsConfig> configType() {
            return HeadsConfig.class;
        }

        @Override
        public Set<String> writes() {
            return Set.of(RunContext.PREDICTIONS);
        }

        @Override
        public Step create(HeadsConfig config, ComponentContext components) throws SextantException {
            Map<String, Head> heads = new LinkedHashMap<>();
            for (String name : config.heads()) {
                heads.put(name, components.component(name, Head.class));
            }
            Encoder encoder = components.component(config.encoder(), Encoder.class);
            return new HeadsStep(config.text(), new MultiHeadRunner(config.encoder(), encoder, heads));
        }
    };

    private final String text;
    private final MultiHeadRunner runner;

    HeadsStep(String text, MultiHeadRunner runner) {
        this.text = text;
        this.runner = runner;
    }

    /** The runner, for front ends that predict many texts at once. */
    public MultiHeadRunner runner() {
        return runner;
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public void run(RunContext context) throws SextantException {
        Object value = text.equals("input") ? context.input() : context.slot(text);
        if (value == null) {
            throw new InputException("the heads step reads '" + text + "', but no earlier step wrote it");
        }
        MultiHeadRunner.Result result = runner.predict(List.of(value.toString()), context.limits());
        context.put(RunContext.PREDICTIONS, result.rows().get(0));
    }
}
