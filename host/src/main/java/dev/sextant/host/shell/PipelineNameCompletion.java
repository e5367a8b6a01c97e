package dev.sextant.host.shell;

import dev.sextant.host.LoadedPipelines;
import dev.sextant.host.config.PipelineSpec;
import dev.sextant.host.pipeline.PipelineSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/** Completes the first argument with the names of the loaded file's pipelines. */
final class PipelineNameCompletion implements CompletionProvider {

    private final LoadedPipelines loaded;

    PipelineNameCompletion(LoadedPipelines loaded) {
        this.loaded = loaded;
    }

    @Override
    public List<CompletionProposal> apply(CompletionContext context) {
        PipelineSet set = loaded.current();
        if (set == null || context.getWordIndex() != 1) {
            return List.of();
        }
        String prefix = Objects.requireNonNullElse(context.currentWordUpToCursor(), "");
        List<CompletionProposal> proposals = new ArrayList<>();
        for (PipelineSpec spec : set.file().pipelines().values()) {
            if (spec.name().startsWith(prefix)) {
                proposals.add(new CompletionProposal(spec.name()).description(spec.description()));
            }
        }
        return proposals;
    }
}
