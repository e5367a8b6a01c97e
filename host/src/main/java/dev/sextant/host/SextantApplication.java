package dev.sextant.host;

import dev.sextant.host.cli.Cli;
import java.util.Arrays;
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
            default -> System.exit(new Cli(System.out, System.err).execute(args));
        }
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
