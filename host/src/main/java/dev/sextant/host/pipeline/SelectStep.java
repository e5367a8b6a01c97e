package dev.sextant.host.pipeline;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Selection;
import dev.sextant.spi.compress.SelectionRequest;
import dev.sextant.spi.compress.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Puts the corpus texts most like the prompt in front of it (few-shot examples, context passages):
 * the selector scores every candidate against the prompt, the best {@code top-k} are joined before
 * it. Writes {@code prompt} and {@code selection}.
 */
public final class SelectStep implements Step {

    /** The {@code select} step type. */
    public static final StepType<SelectConfig> TYPE = new StepType<>() {
        @Override
        public String name() {
            return "select";
        }

        @Override
        public String description() {
            return "Put the corpus texts most like the prompt before it (few-shot examples, passages), e.g. with"
                    + " ZIP-FIT.";
        }

        @Override
        public Class<SelectConfig> configType() {
            return SelectConfig.class;
        }

        @Override
        public Set<String> writes() {
            return Set.of(RunContext.PROMPT, RunContext.SELECTION);
        }

        @Override
        public Step create(SelectConfig config, ComponentContext components) throws SextantException {
            List<CorpusFile.Entry> corpus;
            try {
                corpus = CorpusFile.read(components.resolvePath(config.corpus()), config.field());
            } catch (InputException e) {
                throw new ConfigException("corpus", e.getMessage());
            }
            return new SelectStep(config, components.component(config.selector(), Selector.class),
                    CorpusFile.texts(corpus));
        }
    };

    private final SelectConfig config;
    private final Selector selector;
    private final List<String> corpus;

    SelectStep(SelectConfig config, Selector selector, List<String> corpus) {
        this.config = config;
        this.selector = selector;
        this.corpus = List.copyOf(corpus);
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public void run(RunContext context) throws SextantException {
        String prompt = String.valueOf(context.slot(RunContext.PROMPT));
        Selection selection = selector.select(new SelectionRequest(List.of(prompt), corpus, config.topK(),
                config.threshold(), context.limits()));
        StringBuilder joined = new StringBuilder();
        List<SelectionReport.Chosen> chosen = new ArrayList<>();
        for (Selection.Selected s : selection.selected()) {
            joined.append(corpus.get(s.index())).append(config.separator());
            chosen.add(new SelectionReport.Chosen(s.index(), s.score(), corpus.get(s.index())));
        }
        context.put(RunContext.PROMPT, joined + prompt);
        SelectionReport report = new SelectionReport(config.selector(), selection.scored(), chosen, selection.info());
        context.put(RunContext.SELECTION, report);
    }
}
