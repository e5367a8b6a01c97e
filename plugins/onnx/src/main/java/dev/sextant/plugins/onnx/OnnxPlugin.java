package dev.sextant.plugins.onnx;

import org.pf4j.Plugin;

/**
 * The {@code onnx} plugin: models run by ONNX Runtime, tokenizers read by DJL's Hugging Face
 * tokenizers. Both libraries, and the one {@code OrtEnvironment} of the JVM, belong to the host;
 * this plugin never closes the environment.
 */
public class OnnxPlugin extends Plugin {
}
