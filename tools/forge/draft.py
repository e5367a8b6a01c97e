"""models/story-lm-draft: a much smaller causal LM on story-lm's tokenizer and data, to propose tokens
that story-lm's greedy decoding accepts (speculative decoding). Same model code (model.GPT), training
loop (train.train, on the data stage's build/train_tokens.pt), export (export.export: Optimum names,
KV cache, logits_to_keep) and checks as story-lm, so Java's onnx-causal-lm loads it unchanged.

Training adds distillation from story-lm (build/ckpt.pt, which must hold the weights of the committed
models/story-lm/model.onnx): per token (1 - d) * cross-entropy with the data + d * KL(story-lm || draft),
so the draft learns story-lm's choices where the data leaves the next token open.

Figures (torch, greedy, no BOS, as infer.py):
- teacher-forced agreement: argmax of the draft == argmax of story-lm at every loss position of the
  validation documents (validation people, never in training);
- agreement on story-lm's own greedy continuations (what a draft must predict): the facts evaluation
  prompts (until newline or EOS, at most 16 tokens, as the answer pipeline) and validation documents
  cut before their first ` question :` (48 tokens, stop at EOS: story-lm writes questions and answers);
- speculative decoding with draft length 4 under greedy verification along those continuations:
  the draft proposes 4 tokens greedily from the verified prefix, the longest prefix equal to story-lm's
  greedy tokens is accepted, story-lm adds one token; mean accepted draft tokens per round and tokens
  per story-lm call.
"""
import json
import os
import shutil
import time

import numpy as np
import torch

import card
import export
import onnx_check
import reference
from infer import EOT_ID
from model import GPT, Config

# 1 layer, width 64: the embedding table (3000 x 64) is most of the parameters, the LM head most of
# the per-token work.
SHAPE = dict(hidden_size=64, num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
             head_dim=32, intermediate_size=256)
DRAFT_LEN = 4
N_VAL_PROMPTS = 200
N_NEW_VAL = 48


def load_lm(path):
    ck = torch.load(path)
    model = GPT(Config(**ck["config"]))
    model.load_state_dict(ck["state"])
    model.eval()
    return model, ck


def load_teacher(build_dir, lm_dir):
    """story-lm from build/ckpt.pt, checked against the committed model.onnx's weights."""
    import onnx
    from onnx import numpy_helper
    model, _ = load_lm(os.path.join(build_dir, "ckpt.pt"))
    inits = {t.name: numpy_helper.to_array(t) for t in onnx.load(os.path.join(lm_dir, "model.onnx")).graph.initializer}
    state = {k: v.numpy() for k, v in model.state_dict().items()}
    if len(inits) != len(state):
        raise SystemExit("models/story-lm/model.onnx holds %d weight tensors, build/ckpt.pt %d" % (len(inits), len(state)))
    for name, arr in inits.items():
        key = name[len("model."):] if name.startswith("model.") else name
        if key not in state or not np.array_equal(state[key], arr):
            raise SystemExit("%s does not hold the weights of %s (%s): "
                             "rebuild story-lm with build.sh (or the candidate) first"
                             % (os.path.join(build_dir, "ckpt.pt"), os.path.join(lm_dir, "model.onnx"), name))
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def draft_config(vocab_size):
    return Config(vocab_size, **SHAPE)


@torch.no_grad()
def _full(model, ids):
    x = torch.tensor([ids])
    return model(x, torch.ones_like(x), torch.arange(len(ids)).unsqueeze(0), model.empty_past(1))[0][0]


@torch.no_grad()
def greedy(model, prompt, max_new, newline_id=None):
    """story-lm's greedy continuation of one prompt through the KV cache, with its stop token (EOS,
    or the newline when newline_id is given) included."""
    x = torch.tensor([prompt])
    logits, past = model(x, torch.ones_like(x), torch.arange(len(prompt)).unsqueeze(0), model.empty_past(1))
    out = []
    for _ in range(max_new):
        t = int(logits[0, -1].argmax())
        out.append(t)
        if t == EOT_ID or t == newline_id:
            break
        n = len(prompt) + len(out)
        logits, past = model(torch.tensor([[t]]), torch.ones(1, n, dtype=torch.long), torch.tensor([[n - 1]]), past)
    return out


@torch.no_grad()
def speculate(draft, prompt, target, k=DRAFT_LEN):
    """Greedy verification along story-lm's greedy continuation `target`: returns the accepted draft
    length of every round. The draft proposes k tokens greedily (stopping after EOS); story-lm accepts
    the longest prefix equal to its own tokens and adds one."""
    i, rounds = 0, []
    while i < len(target):
        seq = prompt + target[:i]
        x = torch.tensor([seq])
        logits, past = draft(x, torch.ones_like(x), torch.arange(len(seq)).unsqueeze(0), draft.empty_past(1))
        prop = []
        for _ in range(min(k, len(target) - i)):
            t = int(logits[0, -1].argmax())
            prop.append(t)
            if t == EOT_ID:
                break
            n = len(seq) + len(prop)
            logits, past = draft(torch.tensor([[t]]), torch.ones(1, n, dtype=torch.long), torch.tensor([[n - 1]]), past)
        a = 0
        while a < len(prop) and prop[a] == target[i + a]:
            a += 1
        rounds.append(a)
        i += a + 1
    return rounds


def _cut_prompts(val_docs, tok, n):
    marker = tok.encode(" question :")
    out = []
    for d in val_docs:
        ids = d.tolist()
        for j in range(len(ids) - len(marker)):
            if ids[j:j + len(marker)] == marker:
                out.append(ids[:j])
                break
        if len(out) == n:
            break
    return out


@torch.no_grad()
def figures(draft, teacher, tok, facts_items, val_docs, log=print):
    import train
    draft.eval()
    newline = tok.encode("\n")[0]
    res = {}
    # teacher-forced agreement on the validation documents
    agree = total = 0
    gen = torch.Generator().manual_seed(0)
    for idx in train.batches(val_docs, gen):
        ids, weight = train.collate(val_docs, idx)
        x, m = ids[:, :-1], weight[:, 1:] > 0
        b, s = x.shape
        mask, pos = torch.ones(b, s, dtype=torch.long), torch.arange(s).unsqueeze(0).expand(b, s)
        a = draft(x, mask, pos, draft.empty_past(b))[0].argmax(-1)
        t = teacher(x, mask, pos, teacher.empty_past(b))[0].argmax(-1)
        agree += int(((a == t) & m).sum())
        total += int(m.sum())
    res["validation_documents_teacher_forced"] = {"documents": len(val_docs), "positions": total,
                                                  "agreement": round(agree / total, 4)}
    log("teacher-forced agreement %s" % res["validation_documents_teacher_forced"])
    import evaluate
    res["facts_accuracy"] = {"items": len(facts_items), "draft": round(evaluate.facts_accuracy(draft, tok, facts_items), 4)}
    draft.eval()
    log("facts accuracy %s" % res["facts_accuracy"])
    sets = {"facts_prompts": ([tok.encode(it["prompt"]) for it in facts_items], 16, newline),
            "validation_questions": (_cut_prompts(val_docs, tok, N_VAL_PROMPTS), N_NEW_VAL, None)}
    for name, (prompts, max_new, stop) in sets.items():
        agree = total = 0
        rounds = []
        for p in prompts:
            target = greedy(teacher, p, max_new, stop)
            d = _full(draft, p + target[:-1])[len(p) - 1:].argmax(-1).tolist()
            agree += sum(int(x == y) for x, y in zip(d, target))
            total += len(target)
            rounds += speculate(draft, p, target)
        res[name] = {"prompts": len(prompts), "max_new_tokens": max_new,
                     "stop": "newline or EOS" if stop is not None else "EOS",
                     "story_lm_tokens": total, "agreement": round(agree / total, 4),
                     "draft_length": DRAFT_LEN, "rounds": len(rounds),
                     "mean_accepted": round(sum(rounds) / len(rounds), 3),
                     "tokens_per_story_lm_call": round(total / len(rounds), 3),
                     "accepted_histogram": [rounds.count(j) for j in range(DRAFT_LEN + 1)]}
        log("%s %s" % (name, res[name]))
    return res


def stage_train(build_dir, lm_dir, tok, steps, lr, status, distill=0.0, log=print, weight_outputs=False):
    """build_dir: story-lm's build/ (default) or a candidate's work folder (its train_tokens.pt,
    val_tokens.pt and ckpt.pt, the teacher, checked against lm_dir/model.onnx). weight_outputs: the
    answer loss weight also after " fixed :" and " json :" (candidate.OUTPUT_MARKERS)."""
    import train
    t0 = time.time()
    for f in ("train_tokens.pt", "val_tokens.pt", "ckpt.pt"):
        if not os.path.exists(os.path.join(build_dir, f)):
            raise SystemExit("needs %s from story-lm's build (tools/forge/build.sh)" % f)
    teacher = load_teacher(build_dir, lm_dir) if distill > 0 else None
    marker, newline = tok.encode(" answer :"), tok.encode("\n")
    if weight_outputs:
        import candidate
        marker = [tok.encode(m) for m in candidate.OUTPUT_MARKERS]
    model, stats = train.train(build_dir, len(tok.vocab), steps, marker, newline[0], lr=lr, log=log,
                               cfg=draft_config(len(tok.vocab)), teacher=teacher, distill=distill)
    torch.save({"state": model.state_dict(), "config": model.c.to_dict(), "stats": stats,
                "status": status, "train_stage_seconds": round(time.time() - t0)},
               os.path.join(build_dir, "draft_ckpt.pt"))


def stage_finish(build_dir, lm_dir, out_dir, eval_dir, tok, log=print, note=None):
    """note: a paragraph put under the card's title (e.g. the draft of a candidate, not of story-lm)."""
    import evalsets
    t_finish = time.time()
    model, ck = load_lm(os.path.join(build_dir, "draft_ckpt.pt"))
    cfg = model.c
    teacher = load_teacher(build_dir, lm_dir)
    os.makedirs(out_dir, exist_ok=True)
    shutil.copyfile(os.path.join(lm_dir, "tokenizer.json"), os.path.join(out_dir, "tokenizer.json"))
    stats = {"train": ck["stats"], "status": ck["status"]}
    facts = evalsets.load(eval_dir, "facts")
    val = torch.load(os.path.join(build_dir, "val_tokens.pt"))
    t = time.time()
    stats["agreement"] = figures(model, teacher, tok, facts, val, log=log)
    stats["figures_seconds"] = round(time.time() - t)
    path = os.path.join(out_dir, "model.onnx")
    stats["export"] = export.export(model, path)
    log("exported %s" % stats["export"])
    if stats["export"]["initializer_elements"] != stats["export"]["parameters"]:
        raise SystemExit("model.onnx holds %d weights, the model %d" % (stats["export"]["initializer_elements"],
                                                                        stats["export"]["parameters"]))
    stats["onnx_check"], ops = onnx_check.compare(path, model)
    log("onnx graph (numpy interpreter) vs torch: %s; ops %s" % (stats["onnx_check"], ops))
    stats["reference_checks"] = reference.build(model, tok, facts, os.path.join(out_dir, "reference.json"))
    log("reference checks %s" % stats["reference_checks"])
    stats["teacher_parameters"] = teacher.num_parameters()
    stats["teacher_config"] = teacher.c.to_dict()
    trn = torch.load(os.path.join(build_dir, "train_tokens.pt"))
    stats["n_train_docs"] = "{:,}".format(len(trn))
    stats["max_train_len"] = max(len(d) for d in trn)
    del trn
    lm_stats = os.path.join(build_dir, "stats.json")
    if os.path.exists(lm_stats):
        with open(lm_stats) as f:
            lm = json.load(f)
        stats["teacher_validation_loss"] = lm["train"]["validation_loss"]
        stats["teacher_facts_accuracy"] = lm.get("eval", {}).get("facts", {}).get("accuracy", "?")
    if ck.get("train_stage_seconds") is not None:  # loading, training, saving + this stage
        stats["forge_seconds"] = ck["train_stage_seconds"] + round(time.time() - t_finish)
    card.write_configs(cfg, out_dir)
    with open(os.path.join(build_dir, "draft_stats.json"), "w") as f:
        json.dump(stats, f, indent=2)
    card.write_draft_card(out_dir, cfg, stats)
    if note:
        path = os.path.join(out_dir, "MODEL_CARD.md")
        with open(path) as f:
            text = f.read()
        head, rest = text.split("\n", 1)
        with open(path, "w") as f:
            f.write(head + "\n\n" + note + "\n" + rest)
    return stats
