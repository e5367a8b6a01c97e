package dev.sextant.host.shell;

import dev.sextant.host.LoadedPipelines;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.jline.CommandCompleter;
import org.springframework.shell.jline.PromptProvider;

/** The shell's prompt and completion, only when the shell runs. */
@Configuration(proxyBeanMethods = false)
@Profile("shell")
class ShellConfiguration {

    /** Bean name of the completion of pipeline names. */
    static final String PIPELINE_NAMES = "pipelineNameCompletion";
    /** Bean name of the completion of {@code heads} arguments. */
    static final String HEADS = "headsCompletion";
    /** Bean name of the completion of pipeline file names. */
    static final String PIPELINE_FILES = "pipelineFileCompletion";

    @Bean
    PromptProvider sextantPrompt() {
        return () -> new AttributedString("sextant:>", AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN));
    }

    @Bean(PIPELINE_NAMES)
    CompletionProvider pipelineNameCompletion(LoadedPipelines loaded) {
        return new PipelineNameCompletion(loaded);
    }

    @Bean(HEADS)
    CompletionProvider headsCompletion(LoadedPipelines loaded) {
        return new HeadsCompletion(loaded);
    }

    @Bean(PIPELINE_FILES)
    CompletionProvider pipelineFileCompletion() {
        return new PipelineFileCompletion();
    }

    @Bean
    CommandCompleter argumentCompleter(CommandRegistry registry) {
        return new ArgumentCompleter(registry);
    }

    /** Says, before the first prompt, that the pipeline file given at start is invalid and why. */
    @Bean
    ApplicationListener<ApplicationStartedEvent> invalidPipelineFileReport(LoadedPipelines loaded) {
        return event -> {
            if (loaded.problems() != null) {
                System.out.print(SextantCommands.invalidFile(loaded));
                System.out.flush();
            }
        };
    }
}
