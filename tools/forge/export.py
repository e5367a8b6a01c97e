"""Exports the LM to a single ONNX file (opset 17) with Hugging Face Optimum input/output names and
dynamic axes, traced with a non-empty past, plus an int64 scalar input `logits_to_keep` (logits of
the last k positions, 0 = all, as Hugging Face's argument). Constant folding is off so the tied
embedding is stored once (folding would add its transpose as a second initializer); ONNX Runtime
folds at load time."""
import os

import onnx
import torch

from model import OnnxWrapper


LOGITS_TO_KEEP = "logits_to_keep"


def io_names(n_layers):
    """Graph inputs in OnnxWrapper's order (logits_to_keep last) and outputs."""
    inputs = ["input_ids", "attention_mask", "position_ids"]
    outputs = ["logits"]
    for i in range(n_layers):
        inputs += ["past_key_values.%d.key" % i, "past_key_values.%d.value" % i]
        outputs += ["present.%d.key" % i, "present.%d.value" % i]
    return inputs + [LOGITS_TO_KEEP], outputs


def jitter_constant_parameters(model, std=0.02):
    """Adds N(0, std) noise to every parameter whose entries are all equal (layer norms start as ones
    and zeros, equal across layers): torch 1.13's ONNX exporter stores equal tensors once, which would
    break the one-initializer-per-parameter check. For models with random weights only."""
    import torch
    with torch.no_grad():
        for p in model.parameters():
            if p.numel() > 1 and bool((p == p.flatten()[0]).all()):
                p.add_(torch.randn_like(p) * std)


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
    keep = torch.tensor(2, dtype=torch.long)  # any value: the slice start is computed in the graph
    inputs, outputs = io_names(c.num_hidden_layers)
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "kept_sequence_length"}}
    for n in inputs[3:-1]:
        axes[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in outputs[1:]:
        axes[n] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(OnnxWrapper(model), (ids, mask, pos, *flat, keep), path, input_names=inputs,
                          output_names=outputs, dynamic_axes=axes, opset_version=17,
                          do_constant_folding=False)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    n_params = model.num_parameters()
    size = os.path.getsize(path)
    inits = sum(int(__import__("numpy").prod(t.dims)) for t in m.graph.initializer)
    return {"file_bytes": size, "initializer_elements": inits, "parameters": n_params,
            "bytes_per_param": round(size / n_params, 3)}


class MaskedLMOnnx(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids, attention_mask)


def export_mlm(model, path):
    """The masked LM (encoder.MaskedLM): input_ids, attention_mask [batch, seq] int64 -> logits
    [batch, seq, vocab]; traced on a right-padded batch, no constant folding (tied embedding once)."""
    import numpy as np
    model.eval()
    c = model.c
    ids = torch.randint(1, c.vocab_size, (2, 5))
    mask = torch.ones(2, 5, dtype=torch.long)
    mask[1, 3:] = 0
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    with torch.no_grad():
        torch.onnx.export(MaskedLMOnnx(model), (ids, mask), path, input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], dynamic_axes=axes, opset_version=17,
                          do_constant_folding=False)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    n_params = model.num_parameters()
    size = os.path.getsize(path)
    inits = sum(int(np.prod(t.dims)) for t in m.graph.initializer)
    return {"file_bytes": size, "initializer_elements": inits, "parameters": n_params,
            "bytes_per_param": round(size / n_params, 3), "opset": 17}
