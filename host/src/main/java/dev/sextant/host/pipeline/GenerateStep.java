package dev.sextant.host.pipeline;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.LanguageModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Continues the {@code prompt} slot with a model and decoder; writes {@code output} and {@code generation}. */
public final class GenerateStep implements Step {

    /** The {@code generate} step type. */
    public static final StepType<GenerateConfig> TYPE = new StepType<>() {
        @Override
        public String name() {
            return "generate";
        }

        @Override
        public String description() {
            return "Continue the prompt with a language model and a decoder.";
        }

        @Override
        public Class<GenerateConfig> configType() {
            return GenerateConfig.class;
        }

        @Override
        public java.util.Set<String> writes() {
            return java.util.Set.of(RunContext.OUTPUT, RunContext.GENERATION);
        }

        @Override
        public Step create(GenerateConfig config, ComponentContext components) throws SextantException {
            List<LogitsProcessor> processors = new ArrayList<>();
            for (String name : config.processors()) {
                processors.add(components.component(name, LogitsProcessor.class));
            }
            return new GenerateStep(config, components.component(config.model(), LanguageModel.class),
                    components.component(config.decoder(), Decoder.class), processors);
        }
    };

    private final GenerateConfig config;
    private final LanguageModel model;
    private final Decoder decoder;
    private final List<LogitsProcessor> processors;

    GenerateStep(GenerateConfig config, LanguageModel model, Decoder decoder, List<LogitsProcessor> processors) {
        this.config = config;
        this.model = model;
        this.decoder = decoder;
        this.processors = List.copyOf(processors);
    }

    @Override
    public String type() {
        return "generate";
    }

    @Override
    public void run(RunContext context) throws SextantException {
        String prompt = config.prefix() + context.slot(RunContext.PROMPT) + config.suffix();
        List<LogitsProcessor> applied = processors;
        if (!context.requestProcessors().isEmpty()) {
            applied = new ArrayList<>(processors);
            applied.addAll(context.requestProcessors());
        }
        GenerationRequest request = new GenerationRequest(List.of(prompt), config.maxNewTokens(), config.stop(),
                applied, config.seed(), context.limits(), config.logprobs());
        Generation generation = decoder.generate(model, request, context.listener());
        GeneratedSequence sequence = generation.sequences().get(0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", config.model());
        details.put("decoder", config.decoder());
        // The exact text the model continued (prefix and suffix included): what an attribution
        // step must explain the generation by.
        details.put("prompt", prompt);
        details.put("text", sequence.text());
        details.put("prompt_tokens", sequence.promptTokens());
        details.put("generated_tokens", sequence.tokenIds().length);
        details.put("finish_reason", sequence.finishReason().name().toLowerCase(java.util.Locale.ROOT));
        details.put("token_ids", sequence.tokenIds());
        if (config.logprobs()) {
            details.put("token_logprobs", sequence.tokenLogProbs());
        }
        List<GeneratedSequence> ranked = generation.candidates().get(0);
        if (ranked.size() > 1) {
            // beam searches return several sequences, best first, each with the score it was ranked by
            List<Map<String, Object>> candidates = new java.util.ArrayList<>();
            for (GeneratedSequence candidate : ranked) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("text", candidate.text());
                entry.put("score", candidate.score());
                entry.put("token_ids", candidate.tokenIds());
                entry.put("finish_reason", candidate.finishReason().name().toLowerCase(java.util.Locale.ROOT));
                candidates.add(entry);
            }
            details.put("candidates", candidates);
        }
        if (!generation.metrics().isEmpty()) {
            details.put("metrics", generation.metrics()); // e.g. accepted and drafted tokens of speculation
        }
        context.put(RunContext.OUTPUT, sequence.text());
        context.put(RunContext.GENERATION, details);
    }
}
