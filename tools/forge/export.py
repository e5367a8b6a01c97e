"""Exports the LM to a single ONNX file (opset 17) with Hugging Face Optimum input/output names and
dynamic axes, traced with a non-empty past. Constant folding is off so the tied embedding is stored
once (folding would add its transpose as a second initializer); ONNX Runtime folds at load time."""
import os

import onnx
import torch

from model import OnnxWrapper


def io_names(n_layers):
    inputs = ["input_ids", "attention_mask", "position_ids"]
    outputs = ["logits"]
    for i in range(n_layers):
        inputs += ["past_key_values.%d.key" % i, "past_key_values.%d.value" % i]
        outputs += ["present.%d.key" % i, "present.%d.value" % i]
    return inputs, outputs


def export(model, path):
    model.eval()
    c = model.c
    b, s, past = 2, 3, 4
    ids = torch.randint(1, c.vocab_size, (b, s))
    mask = torch.ones(b, past + s, dtype=torch.long)
    mask[1, :2] = 0  # left padding in the trace input
    pos = (torch.arange(s) + past).unsqueeze(0).expand(b, s).contiguous()
    flat = []
    for _ in range(c.num_hidden_layers):
        flat += [torch.randn(b, c.num_key_value_heads, past, c.head_dim) for _ in range(2)]
    inputs, outputs = io_names(c.num_hidden_layers)
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for n in inputs[3:]:
        axes[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in outputs[1:]:
        axes[n] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(OnnxWrapper(model), (ids, mask, pos, *flat), path, input_names=inputs,
                          output_names=outputs, dynamic_axes=axes, opset_version=17,
                          do_constant_folding=False)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    n_params = model.num_parameters()
    size = os.path.getsize(path)
    inits = sum(int(__import__("numpy").prod(t.dims)) for t in m.graph.initializer)
    return {"file_bytes": size, "initializer_elements": inits, "parameters": n_params,
            "bytes_per_param": round(size / n_params, 3)}
