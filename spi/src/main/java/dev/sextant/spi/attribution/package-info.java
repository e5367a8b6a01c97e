/**
 * Attribution: which input tokens made each generated (target) token. Methods such as ReAGent
 * and occlusion implement {@link dev.sextant.spi.attribution.Attributor}.
 */
package dev.sextant.spi.attribution;
