"""A small numpy interpreter for the ONNX operators our exporter emits. There is no ONNX Runtime
for Python here, so this runs model.onnx itself and compares it with torch: empty past, non-empty
past and left padding. Not a general ONNX runtime: unknown operators raise."""
import numpy as np
import onnx
from onnx import numpy_helper

DT = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 11: np.float64}


def _attrs(node):
    out = {}
    for a in node.attribute:
        v = onnx.helper.get_attribute_value(a)
        if isinstance(v, bytes):
            v = v.decode()
        if isinstance(v, onnx.TensorProto):
            v = numpy_helper.to_array(v)
        out[a.name] = v
    return out


def _erf(x):
    import math
    return np.vectorize(math.erf, otypes=[np.float64])(x).astype(x.dtype)


def run_node(op, ins, at):
    if op == "Constant":
        return [np.array(at["value"])]
    if op == "Identity":
        return [ins[0]]
    if op == "Gather":
        return [np.take(ins[0], ins[1], axis=at.get("axis", 0))]
    if op == "Shape":
        s = np.array(ins[0].shape, dtype=np.int64)
        return [s[at.get("start", 0):at.get("end", len(s))]]
    if op == "Size":
        return [np.array(ins[0].size, dtype=np.int64)]
    if op in ("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater", "LessOrEqual",
              "GreaterOrEqual", "And", "Or"):
        a, b = ins
        f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Pow": np.power,
             "Equal": np.equal, "Less": np.less, "Greater": np.greater, "LessOrEqual": np.less_equal,
             "GreaterOrEqual": np.greater_equal, "And": np.logical_and, "Or": np.logical_or}
        if op == "Div":
            r = a // b if np.issubdtype(a.dtype, np.integer) else a / b
            return [r.astype(a.dtype)]
        r = f[op](a, b)
        if op in ("Add", "Sub", "Mul", "Pow"):
            r = r.astype(a.dtype)
        return [r]
    if op in ("Neg", "Sqrt", "Cos", "Sin", "Tanh", "Erf", "Not", "Exp", "Abs", "Reciprocal"):
        f = {"Neg": np.negative, "Sqrt": np.sqrt, "Cos": np.cos, "Sin": np.sin, "Tanh": np.tanh,
             "Erf": _erf, "Not": np.logical_not, "Exp": np.exp, "Abs": np.abs,
             "Reciprocal": np.reciprocal}
        return [f[op](ins[0]).astype(ins[0].dtype)]
    if op == "Cast":
        return [ins[0].astype(DT[at["to"]])]
    if op == "MatMul":
        return [np.matmul(ins[0], ins[1])]
    if op == "Gemm":
        a, b = ins[0], ins[1]
        if at.get("transA"): a = a.T
        if at.get("transB"): b = b.T
        r = at.get("alpha", 1.0) * a @ b
        if len(ins) > 2: r = r + at.get("beta", 1.0) * ins[2]
        return [r.astype(np.float32)]
    if op == "Transpose":
        return [np.transpose(ins[0], at.get("perm"))]
    if op == "Reshape":
        shape = list(ins[1])
        shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
        return [ins[0].reshape(shape)]
    if op == "Unsqueeze":
        x = ins[0]
        for ax in sorted(int(a) for a in ins[1]):
            x = np.expand_dims(x, ax if ax >= 0 else ax + x.ndim + 1)
        return [x]
    if op == "Squeeze":
        return [np.squeeze(ins[0], axis=tuple(int(a) for a in ins[1]) if len(ins) > 1 else None)]
    if op == "Concat":
        return [np.concatenate(ins, axis=at["axis"])]
    if op == "Slice":
        x, starts, ends = ins[0], ins[1], ins[2]
        axes = ins[3] if len(ins) > 3 and ins[3] is not None else range(len(starts))
        steps = ins[4] if len(ins) > 4 and ins[4] is not None else [1] * len(starts)
        sl = [slice(None)] * x.ndim
        for s, e, a, st in zip(starts, ends, axes, steps):
            n = x.shape[a]
            s, e = int(s), int(e)
            s = max(0, min(n, s + n if s < 0 else s))
            e = max(0, min(n, e + n if e < 0 else e))
            sl[a] = slice(s, e, int(st))
        return [x[tuple(sl)]]
    if op == "Range":
        return [np.arange(ins[0], ins[1], ins[2]).astype(ins[0].dtype)]
    if op == "Softmax":
        x = ins[0]
        ax = at.get("axis", -1)
        e = np.exp(x - x.max(axis=ax, keepdims=True))
        return [(e / e.sum(axis=ax, keepdims=True)).astype(x.dtype)]
    if op == "ReduceMean":
        return [ins[0].mean(axis=tuple(at["axes"]), keepdims=bool(at.get("keepdims", 1))).astype(ins[0].dtype)]
    if op == "LayerNormalization":
        x, w, b = ins[0], ins[1], ins[2] if len(ins) > 2 else None
        ax = at.get("axis", -1)
        mu = x.mean(axis=ax, keepdims=True)
        var = ((x - mu) ** 2).mean(axis=ax, keepdims=True)
        y = (x - mu) / np.sqrt(var + at.get("epsilon", 1e-5)) * w
        if b is not None: y = y + b
        return [y.astype(x.dtype)]
    if op == "Where":
        return [np.where(ins[0], ins[1], ins[2])]
    if op == "Expand":
        return [ins[0] * np.ones(tuple(int(s) for s in ins[1]), dtype=ins[0].dtype)]
    if op == "ConstantOfShape":
        v = at.get("value", np.zeros(1, np.float32))
        return [np.full(tuple(int(s) for s in ins[0]), v.reshape(-1)[0], dtype=v.dtype)]
    if op == "Clip":
        lo = ins[1] if len(ins) > 1 and ins[1] is not None else None
        hi = ins[2] if len(ins) > 2 and ins[2] is not None else None
        return [np.clip(ins[0], lo, hi).astype(ins[0].dtype)]
    if op == "CumSum":
        return [np.cumsum(ins[0], axis=int(ins[1])).astype(ins[0].dtype)]
    raise NotImplementedError(op)


def run(model, feeds):
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update(feeds)
    ops = set()
    for node in model.graph.node:
        ins = [env[i] if i else None for i in node.input]
        outs = run_node(node.op_type, ins, _attrs(node))
        ops.add(node.op_type)
        for n, v in zip(node.output, outs):
            env[n] = np.asarray(v)
    return {o.name: env[o.name] for o in model.graph.output}, ops


def compare(path, torch_model, batch=3):
    """Runs the ONNX graph and the torch model on three cases; returns max abs logit differences.
    A graph with a `logits_to_keep` input is fed 0 (all positions) there, and is also checked per
    case with k = 1, 2 and more than the new positions against the last k rows of its own k = 0
    logits (`logits_to_keep` entries: max abs difference over those k values)."""
    import torch
    m = onnx.load(path)
    c = torch_model.c
    L = c.num_hidden_layers
    res = {}
    rng = np.random.default_rng(0)
    has_keep = any(i.name == "logits_to_keep" for i in m.graph.input)

    def feeds(ids, mask, pos, past, keep=0):
        f = {"input_ids": ids, "attention_mask": mask, "position_ids": pos}
        for i, (k, v) in enumerate(past):
            f["past_key_values.%d.key" % i] = k
            f["past_key_values.%d.value" % i] = v
        if has_keep:
            f["logits_to_keep"] = np.array(keep, np.int64)
        return f

    def torch_run(ids, mask, pos, past):
        with torch.no_grad():
            lg, pr = torch_model(torch.tensor(ids), torch.tensor(mask), torch.tensor(pos),
                                 [(torch.tensor(k), torch.tensor(v)) for k, v in past])
        return lg.numpy(), [(k.numpy(), v.numpy()) for k, v in pr]

    empty = [(np.zeros((batch, c.num_key_value_heads, 0, c.head_dim), np.float32),) * 2 for _ in range(L)]
    ids = rng.integers(1, c.vocab_size, (batch, 7)).astype(np.int64)
    mask = np.ones((batch, 7), np.int64); mask[1, :3] = 0
    pos = np.maximum(mask.cumsum(-1) - 1, 0).astype(np.int64)
    cases = {"empty_past_left_padded": (ids, mask, pos, empty)}
    lg, pr = torch_run(ids, mask, pos, empty)
    ids2 = rng.integers(1, c.vocab_size, (batch, 1)).astype(np.int64)
    mask2 = np.concatenate([mask, np.ones((batch, 1), np.int64)], 1)
    pos2 = pos[:, -1:] + 1
    cases["one_step_with_past"] = (ids2, mask2, pos2, pr)
    ids3 = rng.integers(1, c.vocab_size, (batch, 3)).astype(np.int64)
    mask3 = np.concatenate([mask, np.ones((batch, 3), np.int64)], 1)
    pos3 = pos[:, -1:] + 1 + np.arange(3)
    cases["three_steps_with_past"] = (ids3, mask3, pos3, pr)
    ops = set()
    for name, (i, mk, p, past) in cases.items():
        out, o = run(m, feeds(i, mk, p, past))
        ops |= o
        lg_t, pr_t = torch_run(i, mk, p, past)
        d = float(np.abs(out["logits"] - lg_t).max())
        dk = max(float(np.abs(out["present.%d.key" % l] - pr_t[l][0]).max()) for l in range(L))
        assert out["present.0.key"].shape == pr_t[0][0].shape
        res[name] = {"logits": d, "present": dk}
        if has_keep:
            seq = i.shape[1]
            worst = 0.0
            for keep in sorted({1, min(2, seq), seq + 2}):
                kept, o = run(m, feeds(i, mk, p, past, keep))
                ops |= o
                want = out["logits"][:, -min(keep, seq):]
                assert kept["logits"].shape == want.shape, (keep, kept["logits"].shape, want.shape)
                worst = max(worst, float(np.abs(kept["logits"] - want).max()))
                with torch.no_grad():
                    lk, _ = torch_model(torch.tensor(i), torch.tensor(mk), torch.tensor(p),
                                        [(torch.tensor(a), torch.tensor(b)) for a, b in past],
                                        torch.tensor(keep))
                assert tuple(lk.shape) == want.shape, (keep, tuple(lk.shape))
            res[name]["logits_to_keep"] = worst
    return res, sorted(ops)


def compare_mlm(path, torch_model):
    """The masked LM's graph vs torch: a right-padded and a left-padded batch of 3 rows (lengths 9,
    5, 2) with some <mask> ids; max abs logit difference over real positions, and over all."""
    import torch
    m = onnx.load(path)
    c = torch_model.c
    rng = np.random.default_rng(0)
    lens = [9, 5, 2]
    n = max(lens)
    res, ops = {}, set()
    for side in ("right_padded", "left_padded"):
        ids = np.zeros((len(lens), n), np.int64)
        mask = np.zeros((len(lens), n), np.int64)
        for r, k in enumerate(lens):
            row = rng.integers(1, c.vocab_size, k)
            row[rng.random(k) < 0.3] = c.vocab_size - 1          # the <mask> id
            sl = slice(0, k) if side == "right_padded" else slice(n - k, n)
            ids[r, sl] = row
            mask[r, sl] = 1
        out, o = run(m, {"input_ids": ids, "attention_mask": mask})
        ops |= o
        with torch.no_grad():
            lt = torch_model(torch.tensor(ids), torch.tensor(mask)).numpy()
        lo = out["logits"]
        assert lo.shape == lt.shape and lo.dtype == np.float32, (lo.shape, lo.dtype)
        real = mask.astype(bool)
        res[side] = {"logits_real_positions": float(np.abs(lo - lt)[real].max()),
                     "logits_all_positions": float(np.abs(lo - lt).max())}
    return res, sorted(ops)
