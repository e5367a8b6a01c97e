package dev.sextant.host;

import dev.sextant.host.config.PipelineFileException;
import dev.sextant.host.pipeline.PipelineSet;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline file a server or shell serves. An invalid file does not stop the host: its problems
 * are kept and reported, and no pipeline runs until a valid file is loaded.
 */
public final class LoadedPipelines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadedPipelines.class);

    private final SextantEngine engine;
    private volatile Path path;
    private volatile PipelineSet set;
    private volatile PipelineFileException problems;

    public LoadedPipelines(SextantEngine engine, Path path) {
        this.engine = engine;
        load(path);
    }

    /**
     * Loads a file, replacing the current one if it is valid.
     *
     * @return the problems, empty if it loaded
     */
    public synchronized List<String> load(Path file) {
        try {
            PipelineSet loaded = engine.load(file);
            PipelineSet old = set;
            set = loaded;
            path = file;
            problems = null;
            if (old != null) {
                old.close();
            }
            log.info("Loaded {}: pipelines {}", file, loaded.pipelines().keySet());
            return List.of();
        } catch (PipelineFileException e) {
            if (set == null) {
                path = file;
                problems = e;
            }
            log.error("Pipeline file {} is invalid:\n{}", file, e.getMessage());
            return e.problems().stream().map(p -> p.format()).toList();
        }
    }

    /** The loaded set, or {@code null} if the file was invalid. */
    public PipelineSet current() {
        return set;
    }

    /** Why nothing is loaded, or {@code null}. */
    public PipelineFileException problems() {
        return problems;
    }

    /** The file served. */
    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        if (set != null) {
            set.close();
        }
    }
}
