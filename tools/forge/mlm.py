"""The masked-language model (models/story-mlm): its tokenizer (story-lm's plus `<mask>`), its
corpus (all document kinds), BERT-style masking, a deterministic training loop, validation
figures and reference.json.

Masking (per batch, from a seeded generator): every real token except the end-of-text id 0 is
chosen with probability 0.15; a chosen token becomes `<mask>` (80%), a random token of ids
1..2999 (10%) or stays (10%). The loss is the mean cross-entropy over chosen positions only; the
head runs only on those positions during training.
"""
import json
import math
import os
import random
import time

import torch
import torch.nn.functional as F

import bpe
import corpus
from encoder import EncoderConfig, MaskedLM
from train import batches, collate

MASK_TOKEN = "<mask>"
EOT_ID = 0
MASK_RATE, P_MASK, P_RANDOM = 0.15, 0.8, 0.1
DOCS_PER_BATCH = 64
# Every kind of document; recall-style question documents weigh most, because the replacer works
# on recall prompts (models/eval/recall.jsonl: evidence, distractors, question).
MLM_MIX = {"recall": 0.30, "facts": 0.12, "facts_drill": 0.08, "compression": 0.12, "story": 0.12,
           "extract": 0.08, "copyedit": 0.07, "json": 0.06, "labels": 0.05}
N_TRAIN_DOCS, N_VAL_DOCS = 200_000, 2_000
TRAIN_SEED, VAL_SEED, CUT_SEED = 11, 12, 13
# Share of documents with a question that are cut after their last " answer :" (no answer, no
# end-of-text id): the shape of the prompts the replacer sees.
PROMPT_ONLY_SHARE = 0.3
ANSWER_MARK = " answer :"


# ----------------------------------------------------------------------------------- tokenizer
def write_tokenizer(lm_tokenizer_path, out_path):
    """story-lm's tokenizer.json plus one special token `<mask>` at the next id (3000); every
    other entry is unchanged. Returns the mask id."""
    with open(lm_tokenizer_path) as f:
        d = json.load(f)
    vocab = d["model"]["vocab"]
    assert MASK_TOKEN not in vocab
    mask_id = len(vocab)
    assert sorted(vocab.values()) == list(range(mask_id))
    vocab[MASK_TOKEN] = mask_id
    # lstrip: "a <mask> b" gives "a", <mask>, " b", as the masked token " x" carried its space
    d["added_tokens"].append({"id": mask_id, "content": MASK_TOKEN, "single_word": False,
                              "lstrip": True, "rstrip": False, "normalized": False, "special": True})
    with open(out_path, "w") as f:
        json.dump(d, f, ensure_ascii=False, indent=None)
    return mask_id


# ----------------------------------------------------------------------------------- corpus
def encode_docs(tok, docs, rng):
    out = []
    for d in docs:
        cut = d.rfind(ANSWER_MARK)
        if cut >= 0 and rng.random() < PROMPT_ONLY_SHARE:
            ids = tok.encode(d[:cut + len(ANSWER_MARK)])
        else:
            ids = tok.encode(d) + [EOT_ID]
        out.append(torch.tensor(ids, dtype=torch.int32))
    return out


def build_corpus(world, tok, build_dir, log=print):
    """mlm_train_tokens.pt / mlm_val_tokens.pt under build_dir (lists of int32 tensors), made
    unless both exist. Returns (paths, whether they were made now)."""
    paths = {s: os.path.join(build_dir, "mlm_%s_tokens.pt" % s) for s in ("train", "val")}
    if all(os.path.exists(p) for p in paths.values()):
        log("mlm corpus: using %s" % ", ".join(os.path.basename(p) for p in paths.values()))
        return paths, False
    rng = random.Random(CUT_SEED)
    t0 = time.time()
    for name, split, n, seed in (("train", "train", N_TRAIN_DOCS, TRAIN_SEED),
                                 ("val", "validation", N_VAL_DOCS, VAL_SEED)):
        docs = corpus.training_documents(world, split, n, seed, mix=MLM_MIX)
        torch.save(encode_docs(tok, docs, rng), paths[name])
        if name == "train":
            with open(os.path.join(build_dir, "mlm_corpus_sample.txt"), "w") as f:
                f.write("".join(d + "<|endoftext|>\n" for d in docs[:200]))
    log("mlm corpus: %d train / %d validation documents in %.0fs" % (N_TRAIN_DOCS, N_VAL_DOCS, time.time() - t0))
    return paths, True


# ----------------------------------------------------------------------------------- masking
def mask_batch(ids, valid, gen, mask_id):
    """ids, valid [b, s] -> (input ids with replacements, chosen [b, s] bool, replaced-by-<mask> bool)."""
    cand = valid & (ids != EOT_ID)
    chosen = cand & (torch.rand(ids.shape, generator=gen) < MASK_RATE)
    u = torch.rand(ids.shape, generator=gen)
    rand_tok = torch.randint(1, mask_id, ids.shape, generator=gen)   # never 0 or <mask>
    as_mask = chosen & (u < P_MASK)
    as_rand = chosen & (u >= P_MASK) & (u < P_MASK + P_RANDOM)
    inp = torch.where(as_mask, torch.full_like(ids, mask_id), ids)
    inp = torch.where(as_rand, rand_tok, inp)
    return inp, chosen, as_mask


def mlm_loss(model, ids, valid, gen, mask_id):
    inp, chosen, as_mask = mask_batch(ids, valid, gen, mask_id)
    h = model.encoder(inp, valid.long())
    logits = model.head(h[chosen])                       # only the chosen positions
    target = ids[chosen]
    loss = F.cross_entropy(logits, target)
    return loss, logits, target, as_mask[chosen]


@torch.no_grad()
def evaluate_docs(model, docs, mask_id, seed=0):
    """Mean loss and top-1 accuracy on chosen positions (fixed masks), also on <mask> positions only."""
    was = model.training
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    tot = {"loss": 0.0, "n": 0, "hit": 0, "m_n": 0, "m_hit": 0, "m_loss": 0.0}
    for idx in batches(docs, gen):
        ids, weight = collate(docs, idx)
        loss, logits, target, is_mask = mlm_loss(model, ids, weight > 0, gen, mask_id)
        ce = F.cross_entropy(logits, target, reduction="none")
        hit = logits.argmax(-1) == target
        tot["loss"] += float(ce.sum())
        tot["n"] += int(target.numel())
        tot["hit"] += int(hit.sum())
        tot["m_loss"] += float(ce[is_mask].sum())
        tot["m_n"] += int(is_mask.sum())
        tot["m_hit"] += int(hit[is_mask].sum())
    model.train(was)
    return {"loss": round(tot["loss"] / tot["n"], 4), "accuracy": round(tot["hit"] / tot["n"], 4),
            "positions": tot["n"], "mask_only_loss": round(tot["m_loss"] / tot["m_n"], 4),
            "mask_only_accuracy": round(tot["m_hit"] / tot["m_n"], 4), "mask_only_positions": tot["m_n"]}


# ----------------------------------------------------------------------------------- training
def train(train_path, val_path, vocab_size, mask_id, steps, lr=2e-3, warmup=150, seed=0, log=print,
          eval_docs=None):
    torch.manual_seed(seed)
    train_docs = torch.load(train_path)
    val_docs = torch.load(val_path)
    cfg = EncoderConfig(vocab_size)
    model = MaskedLM(cfg)
    params = dict(model.named_parameters())                 # tied embedding listed once
    decay = [p for p in params.values() if p.dim() >= 2]
    no_decay = [p for p in params.values() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.98))
    gen = torch.Generator().manual_seed(seed)
    mgen = torch.Generator().manual_seed(seed + 1)
    plan, t0, tokens, targets, step, ema = [], time.time(), 0, 0, 0, None
    while step < steps:
        if not plan:
            plan = batches(train_docs, gen, DOCS_PER_BATCH)
        idx = plan.pop()
        frac = step / max(1, steps)
        cur = lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = cur
        ids, weight = collate(train_docs, idx)
        valid = weight > 0
        loss, _, target, _ = mlm_loss(model, ids, valid, mgen, mask_id)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens += int(valid.sum())
        targets += int(target.numel())
        step += 1
        ema = float(loss) if ema is None else 0.98 * ema + 0.02 * float(loss)
        if step % 50 == 0 or step == steps:
            el = time.time() - t0
            log("step %d/%d loss %.4f lr %.2e tokens %d %.0f tok/s elapsed %.0fs" %
                (step, steps, ema, cur, tokens, tokens / el, el))
        if step % 500 == 0 and step < steps:
            log("step %d validation (first 500 docs) %s" % (step, evaluate_docs(model, val_docs[:500], mask_id)))
    train_time = time.time() - t0
    model.eval()
    val = evaluate_docs(model, val_docs, mask_id)
    log("validation %s (train time %.0fs)" % (val, train_time))
    stats = {"steps": steps, "lr": lr, "warmup": warmup, "docs_per_batch": DOCS_PER_BATCH,
             "train_tokens_seen": tokens, "train_targets_seen": targets,
             "train_seconds": round(train_time, 1), "tokens_per_second": round(tokens / train_time),
             "validation": val, "n_val_docs": len(val_docs), "n_train_docs": len(train_docs),
             "max_train_len": max(len(d) for d in train_docs),
             "final_train_loss_ema": round(ema, 4), "seed": seed,
             "optimizer": "AdamW betas (0.9, 0.98), weight decay 0.05 on matrices, grad clip 1.0",
             "schedule": "linear warm-up %d steps, cosine decay to 10%% of peak" % warmup,
             "threads": torch.get_num_threads()}
    return model, stats


def recall_prompt_figures(model, tok, items, mask_id):
    """The same masked-token figures on the recall evaluation prompts (not trained on)."""
    docs = [torch.tensor(tok.encode(it["prompt"]), dtype=torch.int32) for it in items]
    return dict(evaluate_docs(model, docs, mask_id, seed=1), items=len(items))


# ----------------------------------------------------------------------------------- reference
def _r(v):
    return [round(float(x), 6) for x in v]


def _mask_words(tok, ids, words, mask_id):
    """Positions of the first token equal to each word (with its leading space), masked."""
    pos = []
    for w in words:
        t = tok.encode(w)
        assert len(t) == 1, (w, t)
        p = next(i for i, x in enumerate(ids) if x == t[0] and i not in pos)
        pos.append(p)
    pos.sort()
    masked = [mask_id if i in pos else x for i, x in enumerate(ids)]
    return masked, pos


@torch.no_grad()
def _rows(model, batch_ids, mask):
    return model(torch.tensor(batch_ids), torch.tensor(mask))


def _entry(tok, text, ids, masked, pos, logits):
    return {"text": text, "original_ids": ids, "input_ids": masked, "attention_mask": [1] * len(ids),
            "masked_positions": pos,
            "masked": [{"position": p, "original_id": ids[p],
                        "top5_ids": [int(i) for i in logits[p].topk(5).indices],
                        "top5_logits": _r(logits[p].topk(5).values),
                        "top5_tokens": [tok.decode([int(i)]) for i in logits[p].topk(5).indices],
                        "logits_first8": _r(logits[p][:8])} for p in pos]}


@torch.no_grad()
def build_reference(model, tok, recall_items, mask_id, path):
    model.eval()
    cases = [
        (recall_items[0]["prompt"], [" boston", " cairo", " home"]),
        ("context : mia lives in oslo . tom works as a baker . question : where does mia live ? answer :",
         [" oslo", " baker", " live"]),
        ("one sunny morning , tom went to the old market . tom ate some bread for lunch .\n",
         [" sunny", " market", " bread"]),
        ("text : the soup tasted great to nils . topic :", [" soup", " topic"]),
    ]
    entries, single = [], []
    for text, words in cases:
        ids = tok.encode(text)
        masked, pos = _mask_words(tok, ids, words, mask_id)
        lg = _rows(model, [masked], [[1] * len(ids)])[0]
        entries.append(_entry(tok, text, ids, masked, pos, lg))
        single.append((masked, lg))
    # right-padded batch of entries 1 and 3 (pad id 0, attention_mask 0)
    rows = [entries[1], entries[3]]
    n = max(len(r["input_ids"]) for r in rows)
    b_ids = [r["input_ids"] + [EOT_ID] * (n - len(r["input_ids"])) for r in rows]
    b_mask = [[1] * len(r["input_ids"]) + [0] * (n - len(r["input_ids"])) for r in rows]
    lg = _rows(model, b_ids, b_mask)
    diff = 0.0
    b_entries = []
    for r, src, row in zip(rows, (single[1], single[3]), lg):
        k = len(r["input_ids"])
        diff = max(diff, float((row[:k] - src[1]).abs().max()))
        e = _entry(tok, r["text"], r["original_ids"], r["input_ids"], r["masked_positions"], row)
        b_entries.append(e["masked"])
    # left padding (not in the file): real tokens get the same positions, so the same logits
    lp_ids = [[EOT_ID] * (n - len(r["input_ids"])) + r["input_ids"] for r in rows]
    lp_mask = [[0] * (n - len(r["input_ids"])) + [1] * len(r["input_ids"]) for r in rows]
    lgl = _rows(model, lp_ids, lp_mask)
    ldiff = max(float((lgl[i, n - len(r["input_ids"]):] - s[1]).abs().max())
                for i, (r, s) in enumerate(zip(rows, (single[1], single[3]))))
    ref = {
        "description": "Masked-token references for story-mlm. Texts are encoded with story-lm's tokenizer "
                       "(no BOS, no end-of-text id appended); `input_ids` is `original_ids` with the "
                       "`masked_positions` replaced by the <mask> id. Feed input_ids and attention_mask "
                       "(int64); `masked[k]` gives, for each masked position, the top-5 token ids and "
                       "logits and the first 8 values of that position's logit row. `batched` is a "
                       "right-padded batch (pad id 0, attention_mask 0) of entries 1 and 3; its "
                       "`masked` rows equal the single-row ones within float rounding.",
        "mask_token_id": mask_id,
        "pad_token_id": EOT_ID,
        "vocab_size": model.c.vocab_size,
        "tolerance_hint": 1e-3,
        "entries": entries,
        "batched": {"input_ids": b_ids, "attention_mask": b_mask, "source_entries": [1, 3],
                    "masked": b_entries},
        "checks": {"max_abs_diff_right_padded_vs_single": diff,
                   "max_abs_diff_left_padded_vs_single": ldiff},
    }
    with open(path, "w") as f:
        json.dump(ref, f, indent=1)
    return ref["checks"]
