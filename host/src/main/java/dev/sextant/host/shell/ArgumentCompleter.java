package dev.sextant.host.shell;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.jline.CommandCompleter;

/**
 * Spring Shell's completer, plus completion of a partly typed argument. Spring Shell 4.0.1 looks the
 * command up by every word of the line, so {@code run st<TAB>} finds no command {@code run st} and
 * offers nothing; here the command is looked up by the words before the cursor and its completion
 * provider asked.
 */
class ArgumentCompleter extends CommandCompleter {

    private final CommandRegistry registry;

    ArgumentCompleter(CommandRegistry registry) {
        super(registry);
        this.registry = registry;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        super.complete(reader, line, candidates);
        if (!candidates.isEmpty()) {
            return;
        }
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index < 1 || index >= words.size() || words.get(index).startsWith("-")) {
            return;
        }
        for (int n = index; n >= 1; n--) {
            Command command = registry.getCommandByName(String.join(" ", words.subList(0, n)));
            if (command != null) {
                CompletionContext context = new CompletionContext(words, index, line.wordCursor(), command, null);
                for (CompletionProposal proposal : command.getCompletionProvider().apply(context)) {
                    candidates.add(new Candidate(proposal.value(), proposal.displayText(), proposal.category(),
                            proposal.description(), null, null, proposal.complete(), 0));
                }
                return;
            }
        }
    }
}
