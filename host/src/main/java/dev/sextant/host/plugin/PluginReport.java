package dev.sextant.host.plugin;

import java.util.List;

/**
 * What became of one plugin archive.
 *
 * @param id the plugin id, or the archive's file name if its descriptor could not be read
 * @param version the plugin's version, or empty
 * @param state {@code started}, {@code failed}, {@code disabled}, ...
 * @param reason why it is not started, or {@code null}
 * @param path the archive or folder it was loaded from
 * @param types the component types it provides
 */
public record PluginReport(String id, String version, String state, String reason, String path, List<String> types) {

    public PluginReport {
        types = List.copyOf(types);
    }

    /** Whether the plugin is started and its types usable. */
    public boolean ok() {
        return "started".equals(state);
    }
}
