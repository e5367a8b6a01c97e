package dev.sextant.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents and constrains one component of a config record. The host binds YAML to the record by
 * component name written in kebab case ({@code maxNewTokens} is {@code max-new-tokens}), fills
 * defaults, checks ranges and references, and prints these descriptions ({@code sextant plugins
 * --options}).
 *
 * <p>A component without a {@link #defaultValue()} and with {@link #required()} false is
 * optional: it binds to {@code null} (or an empty list) when absent.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Option {

    /** Marks "no default" in {@link #defaultValue()}. */
    String NO_DEFAULT = "\u0000none";

    /** One sentence saying what the option does. */
    String description();

    /** The default, written as it would be in YAML (e.g. {@code "0.9"}, {@code "[]"}). */
    String defaultValue() default NO_DEFAULT;

    /** Whether the option must be given. */
    boolean required() default false;

    /** Smallest allowed value, for numbers. */
    double min() default Double.NEGATIVE_INFINITY;

    /** Largest allowed value, for numbers. */
    double max() default Double.POSITIVE_INFINITY;

    /** The unit, printed after values (e.g. {@code "tokens"}, {@code "ms"}). */
    String unit() default "";

    /**
     * If this option names another component, that component's kind; the host checks at load time
     * that the name exists and is of this kind.
     */
    ComponentKind reference() default ComponentKind.NONE;
}
