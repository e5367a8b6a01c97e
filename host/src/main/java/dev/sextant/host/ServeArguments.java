package dev.sextant.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the launcher's friendly options ({@code --port 8080}, {@code --pipelines f},
 * {@code --plugins-dir d}, {@code --api-key k}) into Spring properties; other {@code --x=y}
 * arguments pass through as Spring properties.
 */
final class ServeArguments {

    private ServeArguments() {
    }

    static String[] toSpring(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            String property = switch (arg) {
                case "--port" -> "server.port";
                case "--pipelines" -> "sextant.pipelines";
                case "--plugins-dir" -> "sextant.plugins-dir";
                case "--api-key" -> "sextant.api-key";
                case "--address" -> "server.address";
                default -> null;
            };
            if (property != null && value != null) {
                out.add("--" + property + "=" + value);
                i++;
            } else {
                out.add(arg);
            }
        }
        return out.toArray(String[]::new);
    }
}
