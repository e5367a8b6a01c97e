package dev.sextant.host.api;

import dev.sextant.host.LoadedPipelines;
import dev.sextant.host.SextantEngine;
import dev.sextant.host.config.OptionDoc;
import dev.sextant.host.config.PipelineSpec;
import dev.sextant.host.pipeline.AttributeStep;
import dev.sextant.host.pipeline.AttributionReport;
import dev.sextant.host.pipeline.MultiHeadRunner;
import dev.sextant.host.pipeline.PipelineHeads;
import dev.sextant.host.pipeline.PipelineResult;
import dev.sextant.host.pipeline.PipelineSet;
import dev.sextant.host.pipeline.PipelineUnavailableException;
import dev.sextant.host.plugin.InstalledType;
import dev.sextant.host.render.AttributionHtml;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTraining;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The REST API: plugins, pipelines, runs and streamed runs. */
@RestController
@RequestMapping("/api")
class PipelineController {

    private final SextantEngine engine;
    private final LoadedPipelines loaded;
    private final MeterRegistry meters;
    // Streamed runs happen off the request thread; bounded so a burst cannot start unbounded work.
    private final ExecutorService streams = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "sextant-stream");
                t.setDaemon(true);
                return t;
            });

    PipelineController(SextantEngine engine, LoadedPipelines loaded, MeterRegistry meters) {
        this.engine = engine;
        this.loaded = loaded;
        this.meters = meters;
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        streams.shutdownNow();
    }

    @GetMapping("/plugins")
    Map<String, Object> plugins() {
        List<Map<String, Object>> types = new ArrayList<>();
        for (InstalledType type : engine.plugins().types()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", type.type());
            entry.put("kind", type.kind().yamlName());
            entry.put("plugin", type.pluginId());
            entry.put("description", type.description());
            entry.put("options", OptionDoc.of(type.factory().configType()));
            types.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("plugins_dir", engine.plugins().pluginsDir().toString());
        body.put("plugins", engine.plugins().plugins());
        body.put("types", types);
        return body;
    }

    @GetMapping("/pipelines")
    Map<String, Object> pipelines() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", String.valueOf(loaded.path()));
        PipelineSet set = loaded.current();
        List<Map<String, Object>> list = new ArrayList<>();
        if (set != null) {
            for (PipelineSpec spec : set.file().pipelines().values()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", spec.name());
                entry.put("description", spec.description());
                entry.put("steps", spec.steps().stream().map(s -> s.type().name()).toList());
                boolean ready = set.pipelines().containsKey(spec.name());
                entry.put("state", ready ? "ready" : "unavailable");
                if (!ready) {
                    entry.put("reason", set.pipelineFailures().get(spec.name()));
                }
                list.add(entry);
            }
        }
        body.put("pipelines", list);
        if (loaded.problems() != null) {
            body.put("problems", loaded.problems().problems().stream().map(p -> p.format()).toList());
        }
        return body;
    }

    @PostMapping(path = "/pipelines/{name}/run", consumes = MediaType.APPLICATION_JSON_VALUE)
    PipelineResult run(@PathVariable String name, @RequestBody RunRequest request) throws SextantException {
        return timedRun(current(), name, input(request), request.constraint());
    }

    /**
     * The same run, answered with the attribution as a standalone HTML page when the client asks for
     * {@code Accept: text/html}. Only for pipelines with an attribute step (400 otherwise, before
     * anything runs); errors stay JSON.
     */
    @PostMapping(path = "/pipelines/{name}/run", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> runAsPage(@PathVariable String name, @RequestBody RunRequest request)
            throws SextantException {
        PipelineSet set = current();
        String input = input(request);
        AttributeStep.requireIn(set.file(), name);
        PipelineResult result = timedRun(set, name, input, request.constraint());
        AttributionReport report = AttributionReport.in(result.slots()).orElseThrow(() -> new IllegalStateException(
                "pipeline '" + name + "' has an attribute step but its result holds no attribution"));
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(AttributionHtml.page(name, report));
    }

    /**
     * Trains the task heads of a pipeline's heads step, or loads them from the cache; with
     * {@code {"retrain": true}} trains even if the cache holds them. Answers when done.
     */
    @PostMapping(path = "/pipelines/{name}/heads/train")
    Map<String, Object> trainHeads(@PathVariable String name, @RequestBody(required = false) HeadsTrainRequest request)
            throws SextantException {
        PipelineSet set = current();
        boolean retrain = request != null && Boolean.TRUE.equals(request.retrain());
        List<HeadTraining> trainings = PipelineHeads.train(PipelineHeads.of(set, name), retrain,
                HeadsProgressLog.forPipeline(name));
        return Map.of("pipeline", name, "heads", trainings);
    }

    /** Held-out metrics of a pipeline's task heads (training them first if needed). */
    @GetMapping(path = "/pipelines/{name}/heads/evaluation")
    Map<String, Object> evaluateHeads(@PathVariable String name) throws SextantException {
        PipelineSet set = current();
        List<HeadEvaluation> evaluations = PipelineHeads.evaluate(PipelineHeads.of(set, name),
                HeadsProgressLog.forPipeline(name));
        return Map.of("pipeline", name, "heads", evaluations);
    }

    /**
     * Predicts many texts with a pipeline's heads step in one batched encoder pass:
     * {@code {"texts": ["...", ...]}} gives one map of head predictions per text, in order.
     */
    @PostMapping(path = "/pipelines/{name}/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> predict(@PathVariable String name, @RequestBody PredictRequest request)
            throws SextantException {
        if (request == null || request.texts() == null || request.texts().isEmpty()) {
            throw new InputException("the body needs a list 'texts', e.g. {\"texts\": [\"my order is late\"]}");
        }
        if (request.texts().size() > PredictRequest.MAX_TEXTS) {
            throw new InputException("at most " + PredictRequest.MAX_TEXTS + " texts per request, got "
                    + request.texts().size());
        }
        MultiHeadRunner.Result result = PipelineHeads.predict(current(), name, request.texts(), RunLimits.DEFAULT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline", name);
        body.put("predictions", result.rows());
        body.put("encode_ms", result.encodeMillis());
        body.put("head_ms", result.headMillis());
        return body;
    }

    private PipelineResult timedRun(PipelineSet set, String name, String input, Map<String, Object> constraint)
            throws SextantException {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            PipelineResult result = set.run(name, input, TokenListener.NONE, RunLimits.DEFAULT, constraint);
            outcome = "ok";
            return result;
        } finally {
            sample.stop(meters.timer("sextant.pipeline.runs", "pipeline", name, "outcome", outcome));
        }
    }

    /**
     * Streams a run as server-sent events: {@code token} events ({@code {"text": ..., "id": ...}}) as
     * tokens are made, then one {@code result} event with the whole result, or one {@code error}
     * event. Closing the connection cancels the run.
     */
    @PostMapping(path = "/pipelines/{name}/stream", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@PathVariable String name, @RequestBody RunRequest request) throws SextantException {
        PipelineSet set = current();
        String input = input(request);
        if (!set.pipelines().containsKey(name)) {
            // Unknown or unavailable pipelines fail as plain JSON errors before the stream opens.
            set.run(name, input, TokenListener.NONE, RunLimits.DEFAULT);
        }
        Map<String, Object> constraint = request.constraint();
        if (constraint != null) {
            // so does a constraint that cannot be compiled
            set.requestProcessor(constraint);
        }
        SseEmitter emitter = new SseEmitter(0L);
        AtomicBoolean cancelled = new AtomicBoolean();
        emitter.onCompletion(() -> cancelled.set(true));
        emitter.onError(e -> cancelled.set(true));
        emitter.onTimeout(() -> cancelled.set(true));
        streams.submit(() -> {
            try {
                TokenListener listener = (row, token, text) -> send(emitter, cancelled, "token",
                        Map.of("id", token, "text", text));
                PipelineResult result = set.run(name, input, listener,
                        RunLimits.DEFAULT.withCancellation(cancelled::get), constraint);
                send(emitter, cancelled, "result", result);
                emitter.complete();
            } catch (SextantException | RuntimeException e) {
                send(emitter, cancelled, "error", new ApiError(500, "run_failed", e.getMessage()));
                emitter.complete();
            }
        });
        return emitter;
    }

    private static void send(SseEmitter emitter, AtomicBoolean cancelled, String event, Object data) {
        if (cancelled.get()) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            cancelled.set(true);
        }
    }

    private PipelineSet current() throws PipelineUnavailableException {
        PipelineSet set = loaded.current();
        if (set == null) {
            throw new PipelineUnavailableException("the pipeline file " + loaded.path() + " is invalid: "
                    + loaded.problems().getMessage());
        }
        return set;
    }

    private static String input(RunRequest request) throws InputException {
        if (request == null || request.input() == null) {
            throw new InputException("the body needs a text field 'input', e.g. {\"input\": \"once upon a time\"}");
        }
        return request.input();
    }
}
