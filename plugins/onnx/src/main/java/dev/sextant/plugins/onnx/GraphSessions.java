package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sextant.spi.ModelException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opening and closing the sessions of the BERT-style graphs (encoders, masked language models). */
final class GraphSessions {

    private GraphSessions() {
    }

    /** Checks a session's inputs and outputs and wraps it; may throw, and then the session is closed. */
    @FunctionalInterface
    interface Wrapper<G> {
        G wrap(OrtEnvironment env, OrtSession session) throws OrtException, ModelException;
    }

    /**
     * Opens a graph from a file or from bytes (a classpath resource, which ONNX Runtime cannot open by
     * path), with all graph optimisations, in the JVM's one environment.
     *
     * @param file the graph file, or {@code null} to read {@code bytes}
     * @param source names the graph in messages
     * @throws ModelException if ONNX Runtime cannot load it or {@code wrapper} refuses it
     */
    static <G> G open(Path file, byte[] bytes, String source, int intraOpThreads, int interOpThreads,
            Wrapper<G> wrapper) throws ModelException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = file != null ? env.createSession(file.toString(), options) : env.createSession(bytes, options);
            return wrapper.wrap(env, session);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelException("ONNX Runtime cannot load " + source + ": " + e.getMessage(), e);
        } catch (ModelException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /**
     * The graph file of a folder: {@code model.onnx}, or {@code onnx/model.onnx} as some exports
     * place it.
     *
     * @param optimumTask the Hugging Face Optimum export task that writes such a folder, for the message
     */
    static Path locate(Path folder, String optimumTask) throws ModelException {
        if (!Files.isDirectory(folder)) {
            throw new ModelException("model folder " + folder + " does not exist or is not a folder");
        }
        for (Path file : new Path[] {folder.resolve("model.onnx"), folder.resolve("onnx").resolve("model.onnx")}) {
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new ModelException("model folder " + folder + " has no model.onnx (export the model with the "
                + "Hugging Face Optimum task " + optimumTask + ")");
    }

    static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // closing on a failure path or at shutdown: nothing more to do
            }
        }
    }
}
