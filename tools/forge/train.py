"""Trains the causal LM on the tokenised mixture. Deterministic: fixed seeds, one thread, a fixed
number of steps. Batches are length-bucketed, right-padded with the end-of-text id (padding is
masked out of the loss); every document starts at position 0 with no BOS before it."""
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

from model import GPT, Config

DOCS_PER_BATCH = 64
# Loss weight of answer tokens (from after " answer :" up to and including the newline); other
# tokens weigh 1. Answers are a few percent of the tokens but carry all of the signal for binding
# a value to its name, which plain next-token loss leaves to chance at this size.
ANSWER_WEIGHT = 5.0


def batches(docs, gen, per_batch=DOCS_PER_BATCH):
    order = torch.randperm(len(docs), generator=gen).tolist()
    chunk = per_batch * 50
    out = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: len(docs[i]))
        out += [part[i:i + per_batch] for i in range(0, len(part), per_batch)]
    perm = torch.randperm(len(out), generator=gen).tolist()
    return [out[i] for i in perm]


def answer_weights(ids, marker, newline_id, answer_weight):
    """Per-token loss weights of one document: answer_weight on the tokens after each `marker`
    (the ids of " answer :") up to and including the next newline token (or to the end of the
    document, its end-of-text id included), 1 elsewhere. `marker` may also be a list of markers
    (lists of ids: e.g. " answer :", " fixed :", " json :"), each opening a weighted span."""
    markers = marker if marker and isinstance(marker[0], (list, tuple)) else [marker]
    markers = [list(mk) for mk in markers]
    w = [1.0] * len(ids)
    inside = False
    for i, t in enumerate(ids):
        if inside:
            w[i] = answer_weight
            inside = t != newline_id
        for mk in markers:
            m = len(mk)
            if t == mk[-1] and i + 1 >= m and ids[i + 1 - m:i + 1] == mk:
                inside = True
    return w


def collate(docs, idx, weights=None):
    """ids [b, n] right-padded with the end-of-text id, and per-token loss weights (0 on padding)."""
    n = max(len(docs[i]) for i in idx)
    ids = torch.zeros(len(idx), n, dtype=torch.long)
    weight = torch.zeros(len(idx), n)
    for r, i in enumerate(idx):
        d = docs[i]
        ids[r, :len(d)] = d.long()
        weight[r, :len(d)] = weights[i] if weights is not None else 1.0
    return ids, weight


def lm_loss(model, ids, weight, teacher=None, distill=0.0):
    """Weighted mean next-token cross-entropy; returns (loss, number of non-padding targets).
    With a teacher (a frozen LM on the same tokenizer) and distill d > 0 the per-token loss is
    (1 - d) * cross-entropy with the data + d * KL(teacher || model) on the next-token distributions."""
    x, y = ids[:, :-1], ids[:, 1:]
    m = weight[:, 1:]
    b, s = x.shape
    mask = torch.ones(b, s, dtype=torch.long)   # right padding only: causal mask suffices
    pos = torch.arange(s).unsqueeze(0).expand(b, s)
    logits, _ = model(x, mask, pos, model.empty_past(b))
    logits = logits.reshape(-1, logits.shape[-1])
    loss = F.cross_entropy(logits, y.reshape(-1), reduction="none")
    if teacher is not None and distill > 0:
        with torch.no_grad():
            t_logits, _ = teacher(x, mask, pos, teacher.empty_past(b))
            t_logp = F.log_softmax(t_logits.reshape(-1, t_logits.shape[-1]), dim=-1)
        kl = (t_logp.exp() * (t_logp - F.log_softmax(logits, dim=-1))).sum(-1)
        loss = (1.0 - distill) * loss + distill * kl
    m = m.reshape(-1)
    return (loss * m).sum() / m.sum(), (m > 0).sum()


@torch.no_grad()
def val_loss(model, docs):
    model.eval()
    tot, n = 0.0, 0.0
    gen = torch.Generator().manual_seed(0)
    for idx in batches(docs, gen):
        ids, weight = collate(docs, idx)
        l, c = lm_loss(model, ids, weight)
        tot += float(l) * float(c)
        n += float(c)
    model.train()
    return tot / n


def train(build_dir, vocab_size, steps, marker, newline_id, lr=3e-3, warmup=150, seed=0, log=print,
          eval_hook=None, eval_every=0, cfg=None, teacher=None, distill=0.0, init_state=None):
    """cfg: the model's Config (default: story-lm's shape, Config(vocab_size)); teacher, distill:
    see lm_loss (validation loss is always the plain cross-entropy with the data)."""
    torch.manual_seed(seed)
    train_docs = torch.load(os.path.join(build_dir, "train_tokens.pt"))
    train_weights = [torch.tensor(answer_weights(d.tolist(), marker, newline_id, ANSWER_WEIGHT))
                     for d in train_docs]
    val_docs = torch.load(os.path.join(build_dir, "val_tokens.pt"))
    cfg = cfg or Config(vocab_size)
    model = GPT(cfg)
    if init_state is not None:  # fine-tuning: start from these weights instead of the seeded init
        model.load_state_dict(init_state)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.98))
    gen = torch.Generator().manual_seed(seed)
    plan = []
    t0 = time.time()
    tokens = 0
    step = 0
    ema = None
    while step < steps:
        if not plan:
            plan = batches(train_docs, gen)
        idx = plan.pop()
        frac = step / max(1, steps)
        cur = lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = cur
        ids, weight = collate(train_docs, idx, train_weights)
        loss, cnt = lm_loss(model, ids, weight, teacher, distill)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens += int(cnt)
        step += 1
        ema = float(loss) if ema is None else 0.98 * ema + 0.02 * float(loss)
        if step % 50 == 0 or step == steps:
            el = time.time() - t0
            log("step %d/%d loss %.4f lr %.2e tokens %d %.0f tok/s elapsed %.0fs" %
                (step, steps, ema, cur, tokens, tokens / el, el))
        if eval_hook and eval_every and step % eval_every == 0 and step < steps:
            eval_hook(model, step)
    train_time = time.time() - t0
    vl = val_loss(model, val_docs)
    log("validation loss %.4f (train time %.0fs)" % (vl, train_time))
    stats = {"steps": steps, "lr": lr, "answer_weight": ANSWER_WEIGHT, "warmup": warmup, "docs_per_batch": DOCS_PER_BATCH,
             "train_tokens_seen": tokens, "train_seconds": round(train_time, 1),
             "validation_loss": round(vl, 4), "final_train_loss_ema": round(ema, 4), "seed": seed,
             "optimizer": "AdamW betas (0.9, 0.98), weight decay 0.05 on matrices, grad clip 1.0",
             "schedule": "linear warm-up %d steps, cosine decay to 10%% of peak" % warmup,
             "threads": torch.get_num_threads()}
    if marker and isinstance(marker[0], (list, tuple)):
        stats["weighted_spans_after_markers"] = [list(mk) for mk in marker]
    if teacher is not None and distill > 0:
        stats["distill"] = distill
        stats["loss"] = ("(1 - %g) * cross-entropy with the data + %g * KL(teacher || model), "
                         "per token, answer tokens weighted %g" % (distill, distill, ANSWER_WEIGHT))
    return model, stats
