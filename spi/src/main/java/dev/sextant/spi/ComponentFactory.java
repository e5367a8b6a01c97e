package dev.sextant.spi;

import org.pf4j.ExtensionPoint;

/**
 * Creates one kind of component from its YAML config. Implementations are PF4J extensions
 * ({@code @Extension}) of one of the kind-specific sub-interfaces; they must be stateless and
 * cheap to construct.
 *
 * @param <C> the config record; each record component is an option, documented with {@link Option}
 * @param <T> what the factory creates
 */
public interface ComponentFactory<C extends Record, T> extends ExtensionPoint {

    /** The kind of component this factory creates. */
    ComponentKind kind();

    /** The name used as {@code type:} in YAML, e.g. {@code onnx-causal-lm}; lower case, dashes. */
    String type();

    /** One sentence for listings. */
    String description();

    /** The config record the host binds the YAML mapping to. */
    Class<C> configType();

    /**
     * Creates the component. Called once per pipeline file load; the result is shared by concurrent
     * requests and so must be thread-safe. If it is {@link AutoCloseable}, the host closes it when
     * the pipeline file is unloaded.
     *
     * @throws ConfigException for settings that are valid one by one but impossible together
     * @throws ModelException if a model cannot be loaded
     */
    T create(C config, ComponentContext context) throws SextantException;
}
