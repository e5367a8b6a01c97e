package dev.sextant.host.config;

import dev.sextant.host.pipeline.RunContext;
import dev.sextant.host.pipeline.StepType;
import dev.sextant.host.plugin.InstalledType;
import dev.sextant.host.plugin.PluginHost;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads and validates a pipeline file. All problems are collected and reported together, each
 * with its line and column; a file that loads can be run.
 *
 * <pre>
 * limits: {max-input-tokens: 1024, timeout: 30s}   # optional
 * components:
 *   story-lm: {type: onnx-causal-lm, path: ../../models/story-lm}
 *   greedy: {type: greedy}
 * pipelines:
 *   story:
 *     description: Continue a story.
 *     steps:
 *       - generate: {model: story-lm, decoder: greedy, max-new-tokens: 40}
 * </pre>
 */
public final class PipelineFileLoader {

    /** A rule definition at the start of a line: what tells inline grammar text from a file name. */
    private static final java.util.regex.Pattern GRAMMAR_TEXT = java.util.regex.Pattern.compile(
            "(?m)^\\s*[?!]?[A-Za-z_][A-Za-z_0-9]*\\s*(::=|:(?![\\\\/]))");

    private static final Set<String> TOP_LEVEL = Set.of("limits", "components", "pipelines");

    private final PluginHost plugins;
    private final Map<String, StepType<?>> stepTypes = new LinkedHashMap<>();

    public PipelineFileLoader(PluginHost plugins, List<StepType<?>> stepTypes) {
        this.plugins = plugins;
        for (StepType<?> stepType : stepTypes) {
            this.stepTypes.put(stepType.name(), stepType);
        }
    }

    /** The step types this loader knows. */
    public Map<String, StepType<?>> stepTypes() {
        return stepTypes;
    }

    /**
     * Loads and validates a file.
     *
     * @throws PipelineFileException listing every problem found
     */
    public PipelineFile load(Path path) throws PipelineFileException {
        List<Problem> problems = new ArrayList<>();
        Node root = parse(path, problems);
        if (root == null) {
            throw new PipelineFileException(problems);
        }
        PipelineFile file = new Reading(path, problems).read(root);
        if (!problems.isEmpty()) {
            throw new PipelineFileException(problems);
        }
        return file;
    }

    private static Node parse(Path path, List<Problem> problems) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            Node root = new Yaml(options).compose(reader);
            if (root == null) {
                problems.add(new Problem(path, 1, 1, "the file is empty: it needs 'components:' and 'pipelines:'"));
            }
            return root;
        } catch (NoSuchFileException e) {
            problems.add(new Problem(path, 0, 0, "no such file"));
        } catch (IOException e) {
            problems.add(new Problem(path, 0, 0, "cannot read the file: " + e.getMessage()));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            problems.add(new Problem(path, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "YAML syntax error: " + what + context));
        } catch (YAMLException e) {
            problems.add(new Problem(path, 0, 0, "YAML error: " + e.getMessage()));
        }
        return null;
    }

    /** The state of reading one file. */
    private final class Reading {
        private final Path path;
        private final List<Problem> problems;
        private final RecordBinder binder;
        // Declared with a missing or unknown type: already reported, so references to them are not.
        private final Set<String> untypedComponents = new java.util.HashSet<>();
        // References of steps whose other options failed to bind: still checked, so every problem
        // of a file is reported in one go.
        private final Map<String, List<Reference>> unboundStepReferences = new LinkedHashMap<>();

        Reading(Path path, List<Problem> problems) {
            this.path = path;
            this.problems = problems;
            this.binder = new RecordBinder(path, problems, new ArrayList<>());
        }

        PipelineFile read(Node root) {
            if (!(root instanceof MappingNode top)) {
                binder.problem(root, "a pipeline file is a mapping with 'components:' and 'pipelines:'");
                return null;
            }
            Map<String, Node> sections = new LinkedHashMap<>();
            // Sections a misspelt key was taken for: their absence is that same problem, not another.
            Set<String> suggested = new java.util.HashSet<>();
            for (NodeTuple tuple : top.getValue()) {
                String key = RecordBinder.scalarText(tuple.getKeyNode());
                if (key == null || !TOP_LEVEL.contains(key)) {
                    java.util.Optional<String> closest = key == null ? java.util.Optional.empty()
                            : OptionNames.closest(key, TOP_LEVEL);
                    closest.ifPresent(suggested::add);
                    String hint = closest.map(s -> "did you mean '" + s + "'? ").orElse("");
                    binder.problem(tuple.getKeyNode(), "unknown section '" + key + "'; " + hint
                            + "a pipeline file has: components, pipelines, limits");
                } else {
                    sections.put(key, tuple.getValueNode());
                }
            }
            LimitsConfig limits = LimitsConfig.defaults();
            if (sections.containsKey("limits")) {
                LimitsConfig bound = binder.bind(sections.get("limits"), LimitsConfig.class, "limits", Set.of());
                limits = bound == null ? limits : bound;
            }
            Map<String, ComponentSpec> components = new LinkedHashMap<>();
            if (sections.containsKey("components")) {
                readComponents(sections.get("components"), components);
            } else if (!suggested.contains("components")) {
                binder.problem(top, "missing section 'components:' (the models, decoders, ... that pipelines use)");
            }
            Map<String, PipelineSpec> pipelines = new LinkedHashMap<>();
            if (sections.containsKey("pipelines")) {
                readPipelines(sections.get("pipelines"), pipelines, components);
            } else if (!suggested.contains("pipelines")) {
                binder.problem(top, "missing section 'pipelines:'");
            }
            for (ComponentSpec component : components.values()) {
                checkReferences(component.references(), components, "component '" + component.name() + "'");
            }
            for (PipelineSpec pipeline : pipelines.values()) {
                for (StepSpec step : pipeline.steps()) {
                    checkReferences(step.references(), components,
                            "pipeline '" + pipeline.name() + "', step " + step.type().name());
                }
            }
            unboundStepReferences.forEach((what, references) -> checkReferences(references, components, what));
            checkCycles(components);
            problems.sort(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            return new PipelineFile(path, limits, components, pipelines);
        }

        private void readComponents(Node node, Map<String, ComponentSpec> out) {
            if (!(node instanceof MappingNode mapping)) {
                binder.problem(node, "'components' must be a mapping of names to components, e.g. greedy: {type: greedy}");
                return;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String name = RecordBinder.scalarText(tuple.getKeyNode());
                Node body = tuple.getValueNode();
                if (name == null || name.isBlank()) {
                    binder.problem(tuple.getKeyNode(), "a component name must be a plain word");
                    continue;
                }
                if (out.containsKey(name) || untypedComponents.contains(name)) {
                    binder.problem(tuple.getKeyNode(), "component '" + name + "' is declared twice");
                    continue;
                }
                readComponent(name, tuple.getKeyNode(), body, out);
            }
        }

        /** One component declaration (its name's node, its body); kept even when its options fail to bind. */
        private void readComponent(String name, Node keyNode, Node body, Map<String, ComponentSpec> out) {
            String what = "component '" + name + "'";
            if (!(body instanceof MappingNode bodyMap)) {
                binder.problem(body, what + " must be a mapping with a 'type:' and its options");
                return;
            }
            Node typeNode = null;
            for (NodeTuple option : bodyMap.getValue()) {
                if ("type".equals(RecordBinder.scalarText(option.getKeyNode()))) {
                    typeNode = option.getValueNode();
                }
            }
            if (typeNode == null) {
                binder.problem(body, what + ": missing 'type:'; installed types: " + installedTypes());
                untypedComponents.add(name);
                return;
            }
            String typeName = RecordBinder.scalarText(typeNode);
            InstalledType type = typeName == null ? null : plugins.type(typeName).orElse(null);
            if (type == null) {
                String hint = typeName == null ? "" : OptionNames.closest(typeName,
                        plugins.types().stream().map(InstalledType::type).toList())
                        .map(s -> "did you mean '" + s + "'? ").orElse("");
                binder.problem(typeNode, what + ": unknown type '" + typeName + "'; " + hint + "installed types: "
                        + installedTypes() + failedPluginsNote());
                untypedComponents.add(name);
                return;
            }
            List<Reference> references = new ArrayList<>();
            RecordBinder componentBinder = new RecordBinder(path, problems, references);
            Record config = componentBinder.bind(body, type.factory().configType(),
                    what + " (type " + typeName + ")", Set.of("type"));
            // Kept even when binding failed, so references to it are not reported as dangling too.
            Mark mark = keyNode.getStartMark();
            out.put(name, new ComponentSpec(name, type, config, references, mark.getLine() + 1,
                    mark.getColumn() + 1, optionLocations(bodyMap)));
        }

        private Map<String, Location> optionLocations(MappingNode body) {
            Map<String, Location> locations = new LinkedHashMap<>();
            for (NodeTuple option : body.getValue()) {
                String key = RecordBinder.scalarText(option.getKeyNode());
                if (key != null) {
                    Mark at = option.getValueNode().getStartMark();
                    locations.put(key, new Location(at.getLine() + 1, at.getColumn() + 1));
                }
            }
            return locations;
        }

        private void readPipelines(Node node, Map<String, PipelineSpec> out, Map<String, ComponentSpec> components) {
            if (!(node instanceof MappingNode mapping)) {
                binder.problem(node, "'pipelines' must be a mapping of names to pipelines");
                return;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String name = RecordBinder.scalarText(tuple.getKeyNode());
                if (name == null || name.isBlank()) {
                    binder.problem(tuple.getKeyNode(), "a pipeline name must be a plain word");
                    continue;
                }
                if (out.containsKey(name)) {
                    binder.problem(tuple.getKeyNode(), "pipeline '" + name + "' is declared twice");
                    continue;
                }
                PipelineSpec spec = readPipeline(name, tuple.getValueNode(), components);
                if (spec != null) {
                    out.put(name, spec);
                }
            }
        }

        private PipelineSpec readPipeline(String name, Node node, Map<String, ComponentSpec> components) {
            String what = "pipeline '" + name + "'";
            if (!(node instanceof MappingNode mapping)) {
                binder.problem(node, what + " must be a mapping with 'steps:'");
                return null;
            }
            String description = "";
            Node stepsNode = null;
            for (NodeTuple tuple : mapping.getValue()) {
                String key = RecordBinder.scalarText(tuple.getKeyNode());
                if ("description".equals(key)) {
                    String text = RecordBinder.scalarText(tuple.getValueNode());
                    if (text == null) {
                        binder.problem(tuple.getValueNode(), what + ": 'description' must be text");
                    } else {
                        description = text;
                    }
                } else if ("steps".equals(key)) {
                    stepsNode = tuple.getValueNode();
                } else {
                    binder.problem(tuple.getKeyNode(), what + ": unknown key '" + key
                            + "'; a pipeline has: description, steps");
                }
            }
            if (!(stepsNode instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
                binder.problem(stepsNode == null ? mapping : stepsNode, what
                        + ": 'steps' must be a non-empty list, e.g. - generate: {model: m, decoder: d}");
                return null;
            }
            List<StepSpec> steps = new ArrayList<>();
            Set<String> written = new java.util.HashSet<>(RunContext.INITIAL_SLOTS);
            int index = 0;
            for (Node stepNode : sequence.getValue()) {
                index++;
                String stepWhat = what + ", step " + index;
                inlineConstraint(name + "/" + index + "/constraint", stepNode, components);
                StepSpec step = readStep(stepWhat, stepNode);
                if (step != null) {
                    steps.add(step);
                }
                if (stepNode instanceof MappingNode one && one.getValue().size() == 1) {
                    Node key = one.getValue().get(0).getKeyNode();
                    StepType<?> type = stepTypes.get(RecordBinder.scalarText(key));
                    if (type != null) {
                        checkOrder(stepWhat, type, key, written);
                        written.addAll(type.writes());
                    }
                }
            }
            return new PipelineSpec(name, description, steps);
        }

        /**
         * A step that reads a slot no earlier step writes would fail halfway through every run:
         * refuse it when the file is loaded.
         */
        private void checkOrder(String what, StepType<?> type, Node at, Set<String> written) {
            for (String slot : type.reads()) {
                if (written.contains(slot)) {
                    continue;
                }
                List<String> writers = stepTypes.values().stream().filter(t -> t.writes().contains(slot))
                        .map(StepType::name).toList();
                binder.problem(at, what + " (" + type.name() + "): " + type.name() + " needs a "
                        + String.join(" or ", writers) + " step before it (it reads the '" + slot
                        + "' slot, which that step writes); add one earlier in 'steps'");
            }
        }

        /**
         * A generate step's {@code constraint:} becomes a processor component of its own, named
         * {@code <pipeline>/<step>/constraint}, added to the step's processors: {@code {regex: <pattern>}},
         * {@code {json-schema: <schema mapping or file>, ...}} or any processor declared inline
         * ({@code {type: ..., options}}). Its errors point into the constraint like a component's.
         */
        private void inlineConstraint(String name, Node stepNode, Map<String, ComponentSpec> components) {
            if (!(stepNode instanceof MappingNode step) || step.getValue().size() != 1
                    || !"generate".equals(RecordBinder.scalarText(step.getValue().get(0).getKeyNode()))
                    || !(step.getValue().get(0).getValueNode() instanceof MappingNode options)) {
                return;
            }
            NodeTuple constraint = null;
            NodeTuple processors = null;
            for (NodeTuple option : options.getValue()) {
                String key = RecordBinder.scalarText(option.getKeyNode());
                if ("constraint".equals(key)) {
                    constraint = option;
                } else if ("processors".equals(key)) {
                    processors = option;
                }
            }
            if (constraint == null) {
                return;
            }
            Node value = constraint.getValueNode();
            if (!(value instanceof MappingNode spec) || spec.getValue().isEmpty()) {
                binder.problem(value, "constraint must be a mapping, e.g. {regex: \"(yes|no)\"} or {json-schema:"
                        + " schema.json}");
                options.getValue().remove(constraint);
                return;
            }
            List<NodeTuple> body = new ArrayList<>();
            NodeTuple first = spec.getValue().get(0);
            String kind = RecordBinder.scalarText(first.getKeyNode());
            boolean declared = spec.getValue().stream().anyMatch(t -> "type".equals(RecordBinder.scalarText(
                    t.getKeyNode())));
            if (declared) {
                body.addAll(spec.getValue());
            } else if ("regex".equals(kind) || "json-schema".equals(kind) || "grammar".equals(kind)) {
                body.add(new NodeTuple(scalar("type", first.getKeyNode()), scalar(kind, first.getKeyNode())));
                String option = switch (kind) {
                    case "regex" -> "pattern";
                    case "json-schema" -> first.getValueNode() instanceof MappingNode ? "schema" : "schema-file";
                    // grammar text has a rule (name: ... or name ::= ...); anything else names a file
                    default -> first.getValueNode() instanceof ScalarNode text
                            && GRAMMAR_TEXT.matcher(text.getValue()).find() ? "grammar" : "grammar-file";
                };
                body.add(new NodeTuple(scalar(option, first.getKeyNode()), first.getValueNode()));
                body.addAll(spec.getValue().subList(1, spec.getValue().size()));
            } else {
                binder.problem(first.getKeyNode(), "constraint: unknown kind '" + kind + "'; write regex:,"
                        + " json-schema: or grammar:, or declare a processor with type:");
                return;
            }
            readComponent(name, first.getKeyNode(), new MappingNode(Tag.MAP, body, spec.getFlowStyle()), components);
            // the step uses it after its own processors
            ScalarNode reference = scalar(name, value);
            if (processors == null) {
                options.getValue().add(new NodeTuple(scalar("processors", value),
                        new SequenceNode(Tag.SEQ, new ArrayList<>(List.of(reference)), spec.getFlowStyle())));
            } else if (processors.getValueNode() instanceof SequenceNode list) {
                list.getValue().add(reference);
            }
            options.getValue().remove(constraint);
        }

        private static ScalarNode scalar(String text, Node at) {
            return new ScalarNode(Tag.STR, text, at.getStartMark(), at.getEndMark(),
                    org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
        }

        private StepSpec readStep(String what, Node node) {
            if (!(node instanceof MappingNode mapping) || mapping.getValue().size() != 1) {
                binder.problem(node, what + " must be one step type with its options, e.g. generate: {...}; step types: "
                        + String.join(", ", stepTypes.keySet()));
                return null;
            }
            NodeTuple tuple = mapping.getValue().get(0);
            String typeName = RecordBinder.scalarText(tuple.getKeyNode());
            StepType<?> type = typeName == null ? null : stepTypes.get(typeName);
            if (type == null) {
                String hint = typeName == null ? "" : OptionNames.closest(typeName, stepTypes.keySet())
                        .map(s -> "did you mean '" + s + "'? ").orElse("");
                binder.problem(tuple.getKeyNode(), what + ": unknown step type '" + typeName + "'; " + hint
                        + "step types: " + String.join(", ", stepTypes.keySet()));
                return null;
            }
            List<Reference> references = new ArrayList<>();
            Node options = tuple.getValueNode();
            Record config = new RecordBinder(path, problems, references)
                    .bind(options, type.configType(), what + " (" + typeName + ")", Set.of());
            if (config == null) {
                unboundStepReferences.put(what + " (" + typeName + ")", references);
                return null;
            }
            Mark mark = tuple.getKeyNode().getStartMark();
            return new StepSpec(type, config, references, mark.getLine() + 1, mark.getColumn() + 1);
        }

        private void checkReferences(List<Reference> references, Map<String, ComponentSpec> components, String what) {
            for (Reference reference : references) {
                ComponentSpec target = components.get(reference.name());
                if (untypedComponents.contains(reference.name())) {
                    continue;
                }
                if (target == null) {
                    List<String> sameKind = components.values().stream()
                            .filter(c -> c.type().kind() == reference.kind()).map(ComponentSpec::name).toList();
                    String hint = OptionNames.closest(reference.name(), sameKind)
                            .map(s -> "did you mean '" + s + "'? ").orElse("");
                    problems.add(new Problem(path, reference.line(), reference.column(), what + ": option '"
                            + reference.key() + "' names '" + reference.name() + "', which is not declared under "
                            + "components; " + hint + "declared " + reference.kind().yamlName() + " components: "
                            + (sameKind.isEmpty() ? "none" : String.join(", ", sameKind))));
                } else if (target.type().kind() != reference.kind()) {
                    problems.add(new Problem(path, reference.line(), reference.column(), what + ": option '"
                            + reference.key() + "' needs a " + reference.kind().yamlName() + " component, but '"
                            + reference.name() + "' is a " + target.type().kind().yamlName() + " (type "
                            + target.type().type() + ")"));
                }
            }
        }

        private void checkCycles(Map<String, ComponentSpec> components) {
            Map<String, Integer> state = new LinkedHashMap<>();
            for (String name : components.keySet()) {
                visit(name, components, state, new ArrayList<>());
            }
        }

        private void visit(String name, Map<String, ComponentSpec> components, Map<String, Integer> state,
                List<String> trail) {
            Integer s = state.get(name);
            if (s != null && s == 2) {
                return;
            }
            ComponentSpec spec = components.get(name);
            if (spec == null) {
                return;
            }
            if (s != null && s == 1) {
                List<String> cycle = new ArrayList<>(trail.subList(trail.indexOf(name), trail.size()));
                cycle.add(name);
                problems.add(new Problem(path, spec.line(), spec.column(), "components refer to each other in a cycle: "
                        + String.join(" -> ", cycle)));
                return;
            }
            state.put(name, 1);
            trail.add(name);
            for (Reference reference : spec.references()) {
                visit(reference.name(), components, state, trail);
            }
            trail.remove(trail.size() - 1);
            state.put(name, 2);
        }

        private String installedTypes() {
            if (plugins.types().isEmpty()) {
                return "none (no plugin provides any; check the plugins folder " + plugins.pluginsDir() + ")";
            }
            return plugins.types().stream().map(InstalledType::type).collect(Collectors.joining(", "));
        }

        private String failedPluginsNote() {
            List<String> failed = plugins.plugins().stream().filter(p -> !p.ok())
                    .map(p -> p.id() + " (" + p.reason() + ")").toList();
            return failed.isEmpty() ? "" : "; plugins not running: " + String.join(", ", failed);
        }
    }
}
