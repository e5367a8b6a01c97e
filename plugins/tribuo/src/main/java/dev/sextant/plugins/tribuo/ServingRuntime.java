package dev.sextant.plugins.tribuo;

import java.util.Locale;

/** What computes a trained head's predictions. */
public enum ServingRuntime {
    /** The Tribuo model itself. */
    TRIBUO,
    /** ONNX Runtime, on the graph Tribuo exports after training ({@code ONNXExportable}). */
    ONNX;

    /** The YAML spelling. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
