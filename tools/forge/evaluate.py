"""Torch-side accuracy of the LM on the evaluation sets, with the rules the Java side uses:
greedy through the cached path, no BOS, stop at newline or EOS, compare trimmed text."""
import json

import torch

from infer import greedy_batch, answer_of

MAX_NEW = {"facts": 16, "recall": 16, "compression": 16, "extract": 16, "labels": 16,
           "copyedit": 64, "json": 96}


def run(model, tok, prompts, max_new, batch=32):
    out = []
    for i in range(0, len(prompts), batch):
        _, texts = greedy_batch(model, tok, [tok.encode(p) for p in prompts[i:i + batch]], max_new)
        out += texts
    return out


def score(model, tok, sets):
    model.eval()
    res = {}
    for kind in ("facts", "recall", "extract"):
        items = sets[kind]
        pred = run(model, tok, [it["prompt"] for it in items], MAX_NEW[kind])
        res[kind] = {"items": len(items), "accuracy": round(
            sum(answer_of(p) == it["answer"] for p, it in zip(pred, items)) / len(items), 4)}
    items = sets["compression"]
    pred = run(model, tok, [it["prompt"] for it in items], 16)
    kept = [" ".join(w["word"] for w in it["words"] if w["keep"]) + " question : " + it["question"] +
            " answer :" for it in items]
    pred_k = run(model, tok, kept, 16)
    res["compression"] = {
        "items": len(items),
        "accuracy_full_context": round(sum(answer_of(p) == it["answer"] for p, it in zip(pred, items)) / len(items), 4),
        "accuracy_gold_compressed_context": round(
            sum(answer_of(p) == it["answer"] for p, it in zip(pred_k, items)) / len(items), 4),
        "gold_keep_rate": round(sum(sum(w["keep"] for w in it["words"]) / len(it["words"]) for it in items) / len(items), 4)}
    items = sets["copyedit"]
    pred = run(model, tok, [it["prompt"] for it in items], MAX_NEW["copyedit"])
    res["copyedit"] = {"items": len(items), "exact_match": round(
        sum(answer_of(p) == it["target"] for p, it in zip(pred, items)) / len(items), 4)}
    items = sets["json"]
    pred = run(model, tok, [it["prompt"] for it in items], MAX_NEW["json"])
    ok_parse = ok_rec = 0
    for p, it in zip(pred, items):
        try:
            rec = json.loads(answer_of(p))
            ok_parse += 1
            ok_rec += rec == it["record"]
        except ValueError:
            pass
    res["json"] = {"items": len(items), "valid_json": round(ok_parse / len(items), 4),
                   "record_exact": round(ok_rec / len(items), 4)}
    items = sets["labels"]
    pred = run(model, tok, [it["prompt"] for it in items], MAX_NEW["labels"])
    t_ok = s_ok = 0
    for p, it in zip(pred, items):
        parts = answer_of(p).split(" sentiment : ")
        t_ok += parts[0].strip() == it["topic"]
        s_ok += len(parts) > 1 and parts[1].strip() == it["sentiment"]
    res["labels"] = {"items": len(items), "topic_accuracy": round(t_ok / len(items), 4),
                     "sentiment_accuracy": round(s_ok / len(items), 4)}
    return res


def facts_accuracy(model, tok, items):
    model.eval()
    pred = run(model, tok, [it["prompt"] for it in items], 16)
    acc = sum(answer_of(p) == it["answer"] for p, it in zip(pred, items)) / len(items)
    model.train()
    return acc
