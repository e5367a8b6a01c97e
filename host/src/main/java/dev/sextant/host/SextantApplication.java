package dev.sextant.host;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.sextant.host.cli.Cli;
import java.util.Arrays;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point. {@code serve} starts the REST API, {@code shell} the interactive shell; every other
 * command is a one-shot run by {@link Cli} without starting Spring.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SextantApplication {

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "serve" -> serve(rest);
            case "shell" -> shell(rest);
            default -> {
                quietLogging();
                System.exit(new Cli(System.out, System.err).execute(args));
            }
        }
    }

    /**
     * One-shot commands run without Spring, where logback's defaults would print every INFO line to
     * standard output, between the command's own output (breaking {@code run --json | jq}): keep
     * warnings only, on standard error.
     */
    private static void quietLogging() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger{0}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        // DJL looks for CUDA on every start and warns when there is none; nothing to act on.
        context.getLogger("ai.djl.util.cuda").setLevel(Level.ERROR);
    }

    private static void serve(String[] args) {
        SpringApplication app = new SpringApplication(SextantApplication.class);
        app.setAdditionalProfiles("serve");
        app.setBannerMode(Banner.Mode.OFF);
        app.run(ServeArguments.toSpring(args));
    }

    private static void shell(String[] args) {
        SpringApplication app = new SpringApplication(SextantApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setAdditionalProfiles("shell");
        app.setBannerMode(Banner.Mode.OFF);
        System.exit(SpringApplication.exit(app.run(ServeArguments.toSpring(args))));
    }
}
