package dev.sextant.plugins.tribuo;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sextant.spi.ModelException;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs a graph exported by Tribuo's {@code ONNXExportable}: one float input {@code [rows, features]}
 * (features in the model's feature-id order) and one float output {@code [rows, outputs]} (outputs
 * in the model's output-id order). Uses the JVM's one {@link OrtEnvironment}, which it never closes;
 * the session runs with one intra-op thread. Thread-safe.
 *
 * <p>Only this class touches ONNX Runtime, so heads served by Tribuo never load it.
 */
final class OnnxScorer implements AutoCloseable {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final String output;
    private final int features;
    private final int outputs;

    OnnxScorer(byte[] model, String what, int features, int outputs) throws ModelException {
        this.features = features;
        this.outputs = outputs;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            this.session = environment.createSession(model, options);
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime cannot load the ONNX export of " + what + ": " + e.getMessage(), e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputsInfo = session.getOutputInfo();
            if (inputs.size() != 1 || outputsInfo.size() != 1) {
                throw new ModelException("the ONNX export of " + what + " has inputs " + inputs.keySet()
                        + " and outputs " + outputsInfo.keySet() + "; expected one of each");
            }
            this.input = inputs.keySet().iterator().next();
            this.output = outputsInfo.keySet().iterator().next();
            long[] in = ((TensorInfo) inputs.get(input).getInfo()).getShape();
            long[] out = ((TensorInfo) outputsInfo.get(output).getInfo()).getShape();
            if (in.length != 2 || in[1] != features || out.length != 2 || out[1] != outputs) {
                throw new ModelException("the ONNX export of " + what + " maps " + java.util.Arrays.toString(in)
                        + " to " + java.util.Arrays.toString(out) + "; expected [rows, " + features + "] to [rows, "
                        + outputs + "]");
            }
        } catch (OrtException e) {
            close();
            throw new ModelException("cannot read the ONNX export of " + what + ": " + e.getMessage(), e);
        } catch (ModelException e) {
            close();
            throw e;
        }
    }

    /** The graph's input name (Tribuo writes {@code input}). */
    String inputName() {
        return input;
    }

    /** The graph's output name (Tribuo writes {@code output}). */
    String outputName() {
        return output;
    }

    /** Scores {@code [rows][outputs]} for inputs {@code [rows][features]}. */
    float[][] run(float[][] rows) throws ModelException {
        if (rows.length == 0) {
            return new float[0][outputs];
        }
        FloatBuffer buffer = FloatBuffer.allocate(rows.length * features);
        for (float[] row : rows) {
            buffer.put(row);
        }
        buffer.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, buffer, new long[] {rows.length, features});
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            return (float[][]) result.get(0).getValue();
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime failed on the exported head: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing more to free
        }
    }
}
