"""reference.json: fixed prompts with their token ids, greedy continuations computed through the
cached incremental path, and full next-token logit vectors, so the Java loader can prove that it
runs the exported graph and the tokenizer exactly like torch did. Also checks (and records) that
full recompute and the incremental path agree, and that left padding does not change results."""
import json

import torch

from infer import left_pad, positions, EOT_ID

N_NEW = 20
N_LOGIT_STEPS = 4


def _r(v):
    return [round(float(x), 6) for x in v]


@torch.no_grad()
def full_logits(model, ids):
    x = torch.tensor([ids])
    mask = torch.ones_like(x)
    pos = torch.arange(len(ids)).unsqueeze(0)
    return model(x, mask, pos, model.empty_past(1))[0][0]


@torch.no_grad()
def single(model, tok, text):
    ids = tok.encode(text)
    x = torch.tensor([ids])
    mask = torch.ones_like(x)
    logits, past = model(x, mask, torch.arange(len(ids)).unsqueeze(0), model.empty_past(1))
    last = logits[0, -1]
    gen, vecs, max_diff = [], [], 0.0
    for step in range(N_NEW):
        if step <= N_LOGIT_STEPS:
            vecs.append(_r(last))
        # incremental vs full recompute of the same sequence
        ref = full_logits(model, ids + gen)[-1]
        max_diff = max(max_diff, float((ref - last).abs().max()))
        t = int(last.argmax())
        if t == EOT_ID:
            break
        gen.append(t)
        n = len(ids) + len(gen)
        mask = torch.ones(1, n, dtype=torch.long)
        logits, past = model(torch.tensor([[t]]), mask, torch.tensor([[n - 1]]), past)
        last = logits[0, -1]
    return {"text": text, "input_ids": ids, "greedy_ids": gen, "greedy_text": tok.decode(gen),
            "logits": vecs}, max_diff


@torch.no_grad()
def batched(model, tok, texts):
    rows = [tok.encode(t) for t in texts]
    ids, mask = left_pad(rows)
    pos = positions(mask)
    logits, _ = model(ids, mask, pos, model.empty_past(len(rows)))
    last = logits[:, -1, :]
    diff = 0.0
    for i, r in enumerate(rows):
        diff = max(diff, float((full_logits(model, r)[-1] - last[i]).abs().max()))
    return {"texts": texts, "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
            "position_ids": pos.tolist(), "pad_token_id": EOT_ID,
            "last_logits": [_r(v) for v in last]}, diff


def build(model, tok, facts_items, path):
    model.eval()
    prompts = [
        facts_items[0]["prompt"],
        facts_items[1]["prompt"],
        "mia",
        "one sunny morning , tom went to the old market . tom",
        "fix : the cat of zara is smal . fixed :",
        "text : the soup tasted great to nils . topic :",
        "kaja has a big red box . kaja lives in lima . kaja is 41 years old . write the record of kaja "
        "as json with keys name , city , age . json :",
    ]
    entries, diffs = [], []
    for p in prompts:
        e, d = single(model, tok, p)
        entries.append(e)
        diffs.append(d)
    b_texts = [facts_items[2]["prompt"], "mia lives in oslo . question : where does mia live ? answer :",
               "tom"]
    b, bdiff = batched(model, tok, b_texts)
    ref = {
        "description": "Greedy references for story-lm. Prompts are encoded WITHOUT a BOS token. "
                       "Incremental decoding: feed the prompt with position_ids 0..n-1 and an empty "
                       "past, then one token at a time with position_ids [n-1+k] and the growing "
                       "attention_mask. logits[k] is the full next-token logit vector after the "
                       "prompt (k=0) and after the k-th greedy token. Greedy stops early on EOS (id 0).",
        "tolerance_hint": 1e-3,
        "eos_token_id": EOT_ID,
        "entries": entries,
        "batched": b,
        "checks": {"max_abs_diff_incremental_vs_full": max(diffs),
                   "max_abs_diff_left_padded_vs_single": bdiff},
    }
    with open(path, "w") as f:
        json.dump(ref, f)
    return ref["checks"]
