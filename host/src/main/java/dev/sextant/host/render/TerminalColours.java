package dev.sextant.host.render;

import java.util.Map;

/**
 * Whether output may be coloured: only on a terminal, never when {@code NO_COLOR} is set to
 * anything (see no-color.org) or the terminal says it is {@code dumb}.
 */
public final class TerminalColours {

    private TerminalColours() {
    }

    /**
     * @param terminal whether the output goes to a terminal
     * @param environment the process environment ({@code System.getenv()})
     */
    public static boolean wanted(boolean terminal, Map<String, String> environment) {
        String noColour = environment.get("NO_COLOR");
        return terminal && (noColour == null || noColour.isEmpty()) && !"dumb".equals(environment.get("TERM"));
    }
}
