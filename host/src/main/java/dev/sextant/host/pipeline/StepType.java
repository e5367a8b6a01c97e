package dev.sextant.host.pipeline;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.SextantException;
import java.util.Set;

/**
 * A kind of pipeline step ({@code generate}, ...), built into the host. Its options are a config
 * record bound from YAML like a component's.
 *
 * @param <C> the config record
 */
public interface StepType<C extends Record> {

    /** The YAML key, e.g. {@code generate}. */
    String name();

    /** One sentence for listings. */
    String description();

    /** The options record. */
    Class<C> configType();

    /**
     * Slots this step reads that an earlier step must have written; checked when the file is
     * loaded. The {@code prompt} slot is always there.
     */
    default Set<String> reads() {
        return Set.of();
    }

    /** Slots this step writes. */
    default Set<String> writes() {
        return Set.of();
    }

    /** Creates the step; referenced components are already created and reachable through {@code components}. */
    Step create(C config, ComponentContext components) throws SextantException;
}
