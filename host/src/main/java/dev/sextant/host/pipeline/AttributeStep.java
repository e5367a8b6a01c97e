package dev.sextant.host.pipeline;

import dev.sextant.host.config.PipelineFile;
import dev.sextant.host.config.PipelineSpec;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Explains the last generate step's output by the prompt that step used: which prompt (and
 * earlier generated) tokens made each generated token. Writes {@code attribution}, an
 * {@link AttributionReport}.
 */
public final class AttributeStep implements Step {

    /** The {@code attribute} step type. */
    public static final StepType<AttributeConfig> TYPE = new StepType<>() {
        @Override
        public String name() {
            return "attribute";
        }

        @Override
        public String description() {
            return "Explain which prompt tokens made each generated token, with an attribution method.";
        }

        @Override
        public Class<AttributeConfig> configType() {
            return AttributeConfig.class;
        }

        @Override
        public Set<String> reads() {
            return Set.of(RunContext.GENERATION);
        }

        @Override
        public Set<String> writes() {
            return Set.of(RunContext.ATTRIBUTION);
        }

        @Override
        public Step create(AttributeConfig config, ComponentContext components) throws SextantException {
            return new AttributeStep(config, components.component(config.model(), LanguageModel.class),
                    components.component(config.attributor(), Attributor.class));
        }
    };

    private final AttributeConfig config;
    private final LanguageModel model;
    private final Attributor attributor;

    AttributeStep(AttributeConfig config, LanguageModel model, Attributor attributor) {
        this.config = config;
        this.model = model;
        this.attributor = attributor;
    }

    /**
     * Refuses, before anything runs, to make an attribution page from a pipeline that attributes
     * nothing. A pipeline the file does not declare passes: running it reports that.
     *
     * @throws InputException naming the pipelines that do attribute
     */
    public static void requireIn(PipelineFile file, String pipeline) throws InputException {
        PipelineSpec spec = file.pipelines().get(pipeline);
        if (spec == null || spec.hasStep(TYPE.name())) {
            return;
        }
        List<String> explaining = file.pipelines().values().stream().filter(p -> p.hasStep(TYPE.name()))
                .map(PipelineSpec::name).toList();
        throw new InputException("pipeline '" + pipeline + "' has no attribute step, so there is no attribution to"
                + " show; pipelines with one: " + (explaining.isEmpty() ? "none" : String.join(", ", explaining)));
    }

    @Override
    public String type() {
        return "attribute";
    }

    @Override
    public void run(RunContext context) throws SextantException {
        Map<?, ?> generation = (Map<?, ?>) context.slot(RunContext.GENERATION);
        String prompt = (String) generation.get("prompt");
        String output = (String) generation.get("text");
        Tokenizer tokenizer = model.tokenizer();
        int[] targetIds;
        String target;
        int count;
        if (config.model().equals(generation.get("model"))) {
            // The generated ids themselves, so the tokens explained are exactly those generated
            // (re-encoding the text can split it differently), limited to the kept text.
            int[] ids = (int[]) generation.get("token_ids");
            count = KeptTokens.count(tokenizer, ids, output);
            targetIds = Arrays.copyOf(ids, count);
            target = KeptTokens.decode(tokenizer, ids, count);
        } else {
            // Another model's ids mean nothing to this one: it explains the text in its own tokens.
            targetIds = null;
            target = output;
            count = output.isEmpty() ? 0 : tokenizer.encode(output, false).size();
        }
        TokenSelection selection = config.selection();
        List<String> warnings = new ArrayList<>();
        if (selection.from() >= count) {
            warnings.add("nothing to attribute: tokens: " + selection + " asks for generated token "
                    + selection.from() + " on, but the generation has " + count + " token(s) inside its text");
            context.put(RunContext.ATTRIBUTION, AttributionReport.of(promptOnly(prompt), warnings));
            return;
        }
        int end = selection.end(count);
        if (!selection.isAll() && selection.to() > count) {
            warnings.add("tokens: " + selection + " reaches past the " + count + " generated token(s) inside the"
                    + " text; attributed " + new TokenSelection(selection.from(), end));
        }
        AttributionRequest request = new AttributionRequest(prompt, target, targetIds, selection.from(), end,
                config.seed(), context.limits());
        Attribution attribution = attributor.attribute(model, request);
        context.put(RunContext.ATTRIBUTION, AttributionReport.of(attribution, warnings));
    }

    /** An attribution with no rows: the prompt's tokens only, so a report can still show the prompt. */
    private Attribution promptOnly(String prompt) {
        Encoding encoding = model.tokenizer().encode(prompt, true);
        List<String> tokens = new ArrayList<>(encoding.size());
        for (int i = 0; i < encoding.size(); i++) {
            int start = encoding.starts()[i];
            int end = encoding.ends()[i];
            tokens.add(end > start ? prompt.substring(start, end) : encoding.tokens()[i]);
        }
        return new Attribution(config.attributor(), Map.of("attributor", config.attributor()), prompt, tokens,
                encoding.starts().clone(), encoding.ends().clone(), encoding.size(), 0, new float[0][],
                new float[0], new float[0], List.of());
    }
}
