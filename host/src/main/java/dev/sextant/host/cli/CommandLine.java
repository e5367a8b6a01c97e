package dev.sextant.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: positionals, {@code --key value} / {@code --key=value} options and
 * {@code --flag}s.
 */
public final class CommandLine {

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();

    /**
     * Parses arguments after the command name.
     *
     * @param valued options that take a value
     * @param flags options that take none
     * @throws UsageException for an unknown option or a missing value
     */
    public static CommandLine parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    line.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    line.options.put(name, value);
                } else {
                    List<String> known = new ArrayList<>();
                    valued.forEach(v -> known.add("--" + v));
                    flags.forEach(f -> known.add("--" + f));
                    throw new UsageException("unknown option --" + name
                            + (known.isEmpty() ? "" : "; options: " + String.join(", ", known.stream().sorted().toList())));
                }
            } else {
                line.positionals.add(arg);
            }
        }
        return line;
    }

    public List<String> positionals() {
        return positionals;
    }

    /** An option's value, or {@code fallback}. */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** Whether a flag was given. */
    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /** An option as a positive integer. */
    public int intOption(String name, int fallback) throws UsageException {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a positive whole number, got '" + value + "'");
        }
    }

    /** An option as a number, or {@code null} when absent. */
    public Double doubleOption(String name) throws UsageException {
        String value = options.get(name);
        if (value == null) {
            return null;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (Double.isNaN(parsed)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + value + "'");
        }
    }
}
