package dev.sextant.host.plugin;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.SpiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and starts the plugins of one folder and collects the component types they provide. A
 * plugin that cannot be loaded, needs another SPI version, throws in {@code start()} or clashes
 * with another plugin's type is recorded with its reason; the others go on working.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final Path pluginsDir;
    private final PluginManager manager;
    private final Map<String, PluginReport> reports = new LinkedHashMap<>();
    private final Map<String, InstalledType> types = new TreeMap<>();

    private PluginHost(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
        this.manager = new DefaultPluginManager(pluginsDir);
        ((DefaultPluginManager) manager).setSystemVersion(SpiVersion.VERSION);
    }

    /** Loads and starts every plugin in {@code pluginsDir} (which need not exist). */
    public static PluginHost start(Path pluginsDir) {
        PluginHost host = new PluginHost(pluginsDir.toAbsolutePath().normalize());
        host.loadAndStart();
        return host;
    }

    private void loadAndStart() {
        if (!Files.isDirectory(pluginsDir)) {
            log.warn("Plugins folder {} does not exist: no plugins loaded", pluginsDir);
            return;
        }
        Map<Path, String> failedLoads = new LinkedHashMap<>();
        List<Path> archives = new ArrayList<>();
        try (var entries = Files.list(pluginsDir)) {
            entries.filter(p -> p.toString().endsWith(".zip") || p.toString().endsWith(".jar")
                            || (Files.isDirectory(p) && !Files.exists(p.resolveSibling(p.getFileName() + ".zip"))))
                    .sorted()
                    .forEach(archives::add);
        } catch (java.io.IOException e) {
            log.error("Cannot list plugins folder {}", pluginsDir, e);
            return;
        }
        for (Path archive : archives) {
            try {
                manager.loadPlugin(archive);
            } catch (RuntimeException e) {
                failedLoads.put(archive, rootMessage(e));
            }
        }
        manager.startPlugins();
        for (PluginWrapper plugin : manager.getPlugins()) {
            PluginDescriptor d = plugin.getDescriptor();
            String reason = null;
            PluginState state = plugin.getPluginState();
            if (state == PluginState.FAILED) {
                Throwable t = plugin.getFailedException();
                reason = "failed to start: " + (t == null ? "unknown error" : rootMessage(t));
            } else if (state == PluginState.DISABLED) {
                reason = "needs SPI " + d.getRequires() + " but this host provides SPI " + SpiVersion.VERSION;
            } else if (state != PluginState.STARTED) {
                reason = "not started (state " + state + ")";
            }
            reports.put(d.getPluginId(), new PluginReport(d.getPluginId(), d.getVersion(),
                    state.toString().toLowerCase(java.util.Locale.ROOT), reason, plugin.getPluginPath().toString(),
                    List.of()));
        }
        for (Map.Entry<Path, String> failed : failedLoads.entrySet()) {
            String name = failed.getKey().getFileName().toString();
            reports.put(name, new PluginReport(name, "", "failed", "failed to load: " + failed.getValue(),
                    failed.getKey().toString(), List.of()));
        }
        collectTypes();
    }

    @SuppressWarnings("rawtypes")
    private void collectTypes() {
        Map<String, List<String>> typesByPlugin = new LinkedHashMap<>();
        for (PluginWrapper plugin : manager.getStartedPlugins()) {
            List<ComponentFactory> factories;
            try {
                factories = manager.getExtensions(ComponentFactory.class, plugin.getPluginId());
            } catch (RuntimeException e) {
                markFailed(plugin.getPluginId(), "its extensions cannot be created: " + rootMessage(e));
                continue;
            }
            for (ComponentFactory factory : factories) {
                String type = factory.type();
                InstalledType existing = types.get(type);
                if (existing != null) {
                    log.error("Type '{}' of plugin {} is already provided by plugin {}; ignored", type,
                            plugin.getPluginId(), existing.pluginId());
                    continue;
                }
                types.put(type, new InstalledType(type, factory.kind(), factory.description(), plugin.getPluginId(),
                        plugin.getDescriptor().getVersion(),
                        factory));
                typesByPlugin.computeIfAbsent(plugin.getPluginId(), k -> new ArrayList<>()).add(type);
            }
        }
        typesByPlugin.forEach((id, list) -> {
            PluginReport r = reports.get(id);
            reports.put(id, new PluginReport(r.id(), r.version(), r.state(), r.reason(), r.path(), list));
        });
    }

    private void markFailed(String id, String reason) {
        PluginReport r = reports.get(id);
        reports.put(id, new PluginReport(r.id(), r.version(), "failed", reason, r.path(), List.of()));
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The folder plugins are read from. */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** Every plugin archive found, started or not, sorted by id. */
    public List<PluginReport> plugins() {
        List<PluginReport> list = new ArrayList<>(reports.values());
        list.sort(Comparator.comparing(PluginReport::id));
        return list;
    }

    /** The installed component types, sorted by name. */
    public Collection<InstalledType> types() {
        return types.values();
    }

    /** The factory for a YAML type name. */
    public Optional<InstalledType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** Stops plugins one by one (PF4J's stopPlugins can throw ConcurrentModificationException with several plugins). */
    @Override
    public void close() {
        for (PluginWrapper plugin : List.copyOf(manager.getStartedPlugins())) {
            try {
                manager.stopPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                log.warn("Plugin {} failed to stop: {}", plugin.getPluginId(), rootMessage(e));
            }
        }
        manager.unloadPlugins();
    }
}
