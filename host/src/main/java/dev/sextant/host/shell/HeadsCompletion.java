package dev.sextant.host.shell;

import dev.sextant.host.LoadedPipelines;
import dev.sextant.host.pipeline.PipelineHeads;
import dev.sextant.host.pipeline.PipelineSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/** Completes {@code heads}: first {@code train} or {@code eval}, then the pipelines that have heads. */
final class HeadsCompletion implements CompletionProvider {

    private static final List<String> ACTIONS = List.of("train", "eval");

    private final LoadedPipelines loaded;

    HeadsCompletion(LoadedPipelines loaded) {
        this.loaded = loaded;
    }

    @Override
    public List<CompletionProposal> apply(CompletionContext context) {
        String prefix = Objects.requireNonNullElse(context.currentWordUpToCursor(), "");
        List<String> words = switch (context.getWordIndex()) {
            case 1 -> ACTIONS;
            case 2 -> {
                PipelineSet set = loaded.current();
                yield set == null ? List.of() : PipelineHeads.withHeads(set);
            }
            default -> List.of();
        };
        List<CompletionProposal> proposals = new ArrayList<>();
        for (String word : words) {
            if (word.startsWith(prefix)) {
                proposals.add(new CompletionProposal(word));
            }
        }
        return proposals;
    }
}
