package dev.sextant.host.pipeline;

import dev.sextant.host.config.ComponentSpec;
import dev.sextant.host.config.PipelineFile;
import dev.sextant.host.config.Location;
import dev.sextant.host.config.PipelineSpec;
import dev.sextant.host.config.Problem;
import dev.sextant.host.config.Reference;
import dev.sextant.host.config.StepSpec;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.host.config.RequestConstraints;
import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.Model;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components and pipelines of one loaded pipeline file. Components are created once, in
 * dependency order, and shared by every run. A component that cannot be created is recorded with
 * its reason, and the pipelines that need it are refused with that reason; the rest run.
 */
public final class PipelineSet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipelineSet.class);

    private final PipelineFile file;
    private final Map<String, Object> components = new LinkedHashMap<>();
    private final Map<String, String> componentFailures = new LinkedHashMap<>();
    private final List<Problem> creationProblems = new ArrayList<>();
    private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();
    private final Map<String, String> pipelineFailures = new LinkedHashMap<>();
    private final Map<String, String> settings;
    // Runs in flight; a set replaced by a reload is closed only when the last of them ends, so
    // no run loses its model's native memory underneath it.
    private final java.util.concurrent.atomic.AtomicInteger activeRuns = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closing;
    private boolean closed;

    private final RequestConstraints requestConstraints;

    private PipelineSet(PipelineFile file, Map<String, String> settings, RequestConstraints requestConstraints) {
        this.file = file;
        this.settings = Map.copyOf(settings);
        this.requestConstraints = requestConstraints;
    }

    /** Creates every component and pipeline of a validated file; requests cannot bring constraints. */
    public static PipelineSet create(PipelineFile file, Map<String, String> settings) {
        return create(file, settings, null);
    }

    /**
     * Creates every component and pipeline of a validated file.
     *
     * @param requestConstraints compiles the constraints requests bring, or null to refuse them
     */
    public static PipelineSet create(PipelineFile file, Map<String, String> settings,
            RequestConstraints requestConstraints) {
        PipelineSet set = new PipelineSet(file, settings, requestConstraints);
        set.createComponents();
        set.createPipelines();
        return set;
    }

    private void createComponents() {
        Set<String> done = new LinkedHashSet<>();
        for (String name : file.components().keySet()) {
            createInOrder(name, done);
        }
    }

    private void createInOrder(String name, Set<String> done) {
        if (!done.add(name)) {
            return;
        }
        ComponentSpec spec = file.components().get(name);
        for (Reference reference : spec.references()) {
            createInOrder(reference.name(), done);
        }
        for (Reference reference : spec.references()) {
            String failure = componentFailures.get(reference.name());
            if (failure != null) {
                componentFailures.put(name, "needs component '" + reference.name() + "', which failed: " + failure);
                return;
            }
        }
        long start = System.nanoTime();
        try {
            @SuppressWarnings("unchecked")
            ComponentFactory<Record, ?> factory = (ComponentFactory<Record, ?>) spec.type().factory();
            Object component = factory.create(spec.config(), new Context(name));
            components.put(name, component);
            log.info("Created component {} (type {}) in {} ms", name, spec.type().type(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (SextantException e) {
            // Settings that are valid one by one but not together, or a model that cannot load, are
            // problems of the file like any other: located at the option to blame when there is one.
            Location at = spec.locate(e instanceof ConfigException c ? c.key() : null);
            Problem problem = new Problem(file.path(), at.line(), at.column(), "component '" + name + "' (type "
                    + spec.type().type() + "): " + e.getMessage());
            creationProblems.add(problem);
            componentFailures.put(name, problem.format());
            log.error("Component {} could not be created: {}", name, problem.format());
        } catch (RuntimeException | LinkageError e) {
            // A plugin bug must not take the host down: record it like any other failure.
            componentFailures.put(name, "plugin " + spec.type().pluginId() + " failed: " + e);
            log.error("Component {} (type {}) failed in its plugin", name, spec.type().type(), e);
        }
    }

    private void createPipelines() {
        for (PipelineSpec spec : file.pipelines().values()) {
            Set<String> used = new LinkedHashSet<>();
            for (StepSpec step : spec.steps()) {
                for (Reference reference : step.references()) {
                    used.add(reference.name());
                }
            }
            String failure = null;
            for (String name : used) {
                if (componentFailures.containsKey(name)) {
                    failure = "component '" + name + "' is not available: " + componentFailures.get(name);
                    break;
                }
            }
            if (failure == null) {
                List<Step> steps = new ArrayList<>();
                try {
                    for (StepSpec step : spec.steps()) {
                        steps.add(createStep(step));
                    }
                } catch (SextantException e) {
                    failure = e.getMessage();
                }
                if (failure == null) {
                    pipelines.put(spec.name(), new Pipeline(spec.name(), spec.description(), steps, List.copyOf(used)));
                    continue;
                }
            }
            pipelineFailures.put(spec.name(), failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Step createStep(StepSpec spec, ComponentContext context) throws SextantException {
        StepType<C> type = (StepType<C>) spec.type();
        return type.create((C) spec.config(), context);
    }

    private Step createStep(StepSpec spec) throws SextantException {
        return createStep(spec, new Context("step " + spec.type().name()));
    }

    /** The file these pipelines came from. */
    public PipelineFile file() {
        return file;
    }

    /** Pipelines that can run, by name, in file order. */
    public Map<String, Pipeline> pipelines() {
        return Collections.unmodifiableMap(pipelines);
    }

    /** Pipelines that cannot run, with the reason. */
    public Map<String, String> pipelineFailures() {
        return Collections.unmodifiableMap(pipelineFailures);
    }

    /**
     * Components that could not be created, as problems of the file (a pipeline file that loads but
     * has these is not valid).
     */
    public List<Problem> creationProblems() {
        return Collections.unmodifiableList(creationProblems);
    }

    /** Components that could not be created, with the reason. */
    public Map<String, String> componentFailures() {
        return Collections.unmodifiableMap(componentFailures);
    }

    /** A created component by name, or {@code null}. */
    public Object component(String name) {
        return components.get(name);
    }

    /**
     * A pipeline that can run.
     *
     * @throws UnknownPipelineException if the file declares no such pipeline
     * @throws PipelineUnavailableException if it cannot run (a component failed)
     */
    public Pipeline pipeline(String name) throws SextantException {
        Pipeline pipeline = pipelines.get(name);
        if (pipeline == null) {
            if (pipelineFailures.containsKey(name)) {
                throw new PipelineUnavailableException("pipeline '" + name + "' cannot run: "
                        + pipelineFailures.get(name));
            }
            List<String> all = new ArrayList<>(file.pipelines().keySet());
            throw new UnknownPipelineException("no pipeline named '" + name + "' in " + file.path()
                    + "; pipelines: " + (all.isEmpty() ? "none" : String.join(", ", all)));
        }
        return pipeline;
    }

    /**
     * Runs a pipeline.
     *
     * @throws UnknownPipelineException if the file declares no such pipeline
     * @throws PipelineUnavailableException if it cannot run (a component failed)
     * @throws InputException if the input is unusable
     */
    public PipelineResult run(String name, String input, TokenListener listener, RunLimits baseLimits)
            throws SextantException {
        return run(name, input, listener, baseLimits, null);
    }

    /**
     * Runs a pipeline with a constraint that came with the request ({@code {"regex": ...}},
     * {@code {"json-schema": {...}}}): every generate step of the run applies it after its own
     * processors. Null runs the pipeline as its file says.
     */
    public PipelineResult run(String name, String input, TokenListener listener, RunLimits baseLimits,
            Map<String, Object> constraint) throws SextantException {
        List<LogitsProcessor> extra = constraint == null ? List.of() : List.of(requestProcessor(constraint));
        Pipeline pipeline = pipeline(name);
        if (input == null || input.isBlank()) {
            throw new InputException("the input is empty: give the text the pipeline should work on");
        }
        activeRuns.incrementAndGet();
        try {
            if (closing) {
                throw new PipelineUnavailableException("pipeline '" + name
                        + "' was unloaded while the run started; run it again");
            }
            return runSteps(pipeline, input, listener, baseLimits, extra);
        } finally {
            if (activeRuns.decrementAndGet() == 0 && closing) {
                release();
            }
        }
    }

    /** The processor of a request's constraint, compiled (or found compiled); a bad one is an InputException. */
    public LogitsProcessor requestProcessor(Map<String, Object> constraint) throws SextantException {
        if (requestConstraints == null) {
            throw new InputException("this server does not take constraints with requests");
        }
        return requestConstraints.processor(constraint);
    }

    private PipelineResult runSteps(Pipeline pipeline, String input, TokenListener listener, RunLimits baseLimits,
            List<LogitsProcessor> requestProcessors) throws SextantException {
        String name = pipeline.name();
        RunLimits limits = new RunLimits(file.limits().maxInputTokens(),
                Instant.now().plus(file.limits().timeout()), baseLimits.cancellation());
        RunContext context = new RunContext(input, limits, listener == null ? TokenListener.NONE : listener,
                requestProcessors);
        List<StepTiming> timings = new ArrayList<>();
        long start = System.nanoTime();
        for (Step step : pipeline.steps()) {
            long stepStart = System.nanoTime();
            step.run(context);
            timings.add(new StepTiming(step.type(), (System.nanoTime() - stepStart) / 1e6));
        }
        double total = (System.nanoTime() - start) / 1e6;
        Object output = context.slot(RunContext.OUTPUT);
        return new PipelineResult(name, input, output == null ? null : output.toString(), context.slots(), timings,
                total, provenance(pipeline));
    }

    private Map<String, Object> provenance(Pipeline pipeline) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipeline_file", file.path().toString());
        Map<String, Object> used = new LinkedHashMap<>();
        for (String name : pipeline.components()) {
            ComponentSpec spec = file.components().get(name);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", spec.type().type());
            entry.put("plugin", spec.type().pluginId());
            entry.put("plugin_version", spec.type().pluginVersion());
            entry.put("settings", spec.config().toString());
            if (components.get(name) instanceof Model model) {
                entry.put("model", model.info().provenance());
            }
            used.put(name, entry);
        }
        out.put("components", used);
        out.put("spi_version", dev.sextant.spi.SpiVersion.VERSION);
        out.put("java", System.getProperty("java.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return out;
    }

    /**
     * Closes components that hold resources, in reverse creation order: at once if no run is in
     * flight, else when the last run ends. Runs started after this are refused.
     */
    @Override
    public void close() {
        closing = true;
        if (activeRuns.get() == 0) {
            release();
        }
    }

    private synchronized void release() {
        if (closed) {
            return;
        }
        closed = true;
        List<Object> created = new ArrayList<>(components.values());
        Collections.reverse(created);
        for (Object component : created) {
            if (component instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("Closing a component failed: {}", e.toString());
                }
            }
        }
        components.clear();
    }

    /** What a factory sees while it creates one component. */
    private final class Context implements ComponentContext {
        private final String name;

        Context(String name) {
            this.name = name;
        }

        @Override
        public String componentName() {
            return name;
        }

        @Override
        public Path resolvePath(String path) {
            Path base = file.path().toAbsolutePath().getParent();
            return base.resolve(path).normalize();
        }

        @Override
        public <T> T component(String other, Class<T> type) throws ConfigException {
            Object component = components.get(other);
            if (component == null) {
                String reason = componentFailures.get(other);
                throw new ConfigException(name + " needs component '" + other + "', which "
                        + (reason == null ? "is not declared" : "failed: " + reason));
            }
            if (!type.isInstance(component)) {
                throw new ConfigException(name + " needs '" + other + "' to be a " + type.getSimpleName()
                        + ", but it is a " + component.getClass().getSimpleName());
            }
            return type.cast(component);
        }

        @Override
        public String setting(String key, String fallback) {
            return settings.getOrDefault(key, fallback);
        }
    }
}
