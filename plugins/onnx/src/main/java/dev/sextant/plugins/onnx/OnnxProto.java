package dev.sextant.plugins.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the few ONNX protobuf messages needed to build small helper graphs in memory (see
 * {@link CacheOps}), so that no protobuf library is needed. Field numbers are those of
 * {@code onnx.proto}.
 */
final class OnnxProto {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] bytes() {
        return out.toByteArray();
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    OnnxProto integer(int field, long value) {
        tag(field, 0);
        varint(value);
        return this;
    }

    OnnxProto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    OnnxProto bytes(int field, byte[] value) {
        tag(field, 2);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    OnnxProto message(int field, OnnxProto message) {
        return bytes(field, message.bytes());
    }

    /** {@code ModelProto} with one graph and the default-domain opset. */
    static byte[] model(OnnxProto graph, int opset) {
        return new OnnxProto()
                .integer(1, 8) // ir_version
                .string(2, "sextant") // producer_name
                .message(8, new OnnxProto().string(1, "").integer(2, opset)) // opset_import
                .message(7, graph)
                .bytes();
    }

    /** {@code NodeProto}. */
    static OnnxProto node(String opType, String[] inputs, String output, String attribute, long value) {
        OnnxProto node = new OnnxProto();
        for (String input : inputs) {
            node.string(1, input);
        }
        node.string(2, output).string(3, output).string(4, opType);
        if (attribute != null) {
            node.message(5, new OnnxProto().string(1, attribute).integer(3, value).integer(20, 2)); // type INT
        }
        return node;
    }

    /** {@code ValueInfoProto} of a tensor of unknown shape. */
    static OnnxProto tensor(String name, int elementType) {
        return new OnnxProto().string(1, name)
                .message(2, new OnnxProto().message(1, new OnnxProto().integer(1, elementType)));
    }
}
