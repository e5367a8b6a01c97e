package dev.sextant.host.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/**
 * Completes the first argument with folders and YAML files, relative to the working directory. A
 * folder is completed with a trailing slash and no space, so tab can go on into it.
 */
final class PipelineFileCompletion implements CompletionProvider {

    @Override
    public List<CompletionProposal> apply(CompletionContext context) {
        if (context.getWordIndex() != 1) {
            return List.of();
        }
        String typed = Objects.requireNonNullElse(context.currentWordUpToCursor(), "");
        int slash = typed.lastIndexOf('/');
        String folderPart = typed.substring(0, slash + 1);
        String namePrefix = typed.substring(slash + 1);
        Path folder = Path.of(folderPart.isEmpty() ? "." : folderPart);
        List<CompletionProposal> proposals = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            entries.sorted().forEach(entry -> {
                String name = entry.getFileName().toString();
                if (!name.startsWith(namePrefix) || (name.startsWith(".") && !namePrefix.startsWith("."))) {
                    return;
                }
                if (Files.isDirectory(entry)) {
                    proposals.add(new CompletionProposal(folderPart + name + "/").displayText(name + "/")
                            .complete(false));
                } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    proposals.add(new CompletionProposal(folderPart + name).displayText(name));
                }
            });
        } catch (IOException | RuntimeException e) {
            // A folder that does not exist or cannot be read has nothing to offer.
            return List.of();
        }
        return proposals;
    }
}
