/**
 * An example third-party Sextant plugin: the {@code typical} decoder, locally typical sampling
 * (Meister, Pimentel, Wiher and Cotterell, "Locally Typical Sampling", TACL 2022).
 *
 * <p>A plugin is a PF4J {@link org.pf4j.Plugin} ({@link com.example.sextant.typical.TypicalPlugin})
 * plus one {@link org.pf4j.Extension} factory per component type
 * ({@link com.example.sextant.typical.TypicalDecoderFactory}) with a config record whose components
 * are the YAML options ({@link com.example.sextant.typical.TypicalConfig}).
 */
package com.example.sextant.typical;
