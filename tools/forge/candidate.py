"""A candidate story-lm trained on another training mix (a named mix of corpus.MIXES), written to a
folder of its own (default build/candidate-story-lm/, git-ignored) instead of models/story-lm.

Same architecture (model.Config defaults), same tokenizer (models/story-lm/tokenizer.json, read and
copied, never retrained), same training loop (train.train), export, ONNX check, reference.json,
configs and card as `forge.py all`; only the corpus differs. The corpus is made with
corpus.training_documents exactly like data.build (training: throw-away fresh people, seed 1;
validation: validation people, seed 2), then checked disjoint from models/eval: no training document
contains a validation or evaluation name (people or pets) as a word, and no evaluation item's
`text` (prompt + answer) is a training document.

    forge.py candidate --mix all-tasks --steps N [--build DIR] [--out DIR]
    forge.py candidate-finish [--build DIR] [--out DIR]       (export, checks, eval, card only)
"""
import json
import os
import random
import shutil
import time

import torch

import bpe
import card
import corpus
import evalsets
import evaluate
import export
import onnx_check
import reference
import tokref  # noqa: F401  (tokenizer_reference.json is copied, not rebuilt)
from model import GPT, Config
from world import World

N_TRAIN_DOCS = 300_000
N_VAL_DOCS = 2_000
TRAIN_SEED, VAL_SEED = 1, 2
WORLD_SEED = 1234


def _eval_texts(eval_dir, world):
    """The `text` (prompt + answer, as its generator writes it) of every evaluation item."""
    out = set()
    for set_index, (kind, n) in enumerate(evalsets.SETS):
        for i in range(n):
            ex = corpus.GENERATORS[kind](random.Random(evalsets.item_seed(set_index, i)),
                                         world.people["evaluation"])
            out.add(ex["text"])
    return out


def build_corpus(build_dir, tok, mix_name, eval_dir, log=print):
    """build_dir/train_tokens.pt, val_tokens.pt for the named mix (made once per mix: a file
    `mix.json` records the mix the tokens were made with)."""
    mix = corpus.MIXES[mix_name]
    os.makedirs(build_dir, exist_ok=True)
    stamp = os.path.join(build_dir, "mix.json")
    want = {"mix_name": mix_name, "mix": mix, "n_train": N_TRAIN_DOCS, "n_val": N_VAL_DOCS,
            "train_seed": TRAIN_SEED, "val_seed": VAL_SEED}
    if os.path.exists(stamp) and os.path.exists(os.path.join(build_dir, "train_tokens.pt")):
        with open(stamp) as f:
            have = json.load(f)
        if {k: have.get(k) for k in want} == want:
            log("corpus for mix %s already in %s" % (mix_name, build_dir))
            return have
    t0 = time.time()
    world = World(WORLD_SEED)
    train_docs = corpus.training_documents(world, "train", N_TRAIN_DOCS, TRAIN_SEED, mix=mix)
    val_docs = corpus.training_documents(world, "validation", N_VAL_DOCS, VAL_SEED, mix=mix)
    # disjointness from the evaluation sets (and the validation people)
    held = world.heldout_names
    eval_names = {p.name for p in world.people["evaluation"]} | \
                 {p.pet[1] for p in world.people["evaluation"] if p.pet}
    assert eval_names <= held
    # a copy-with-edit source holds typos, and a typo can spell a held-out name by chance ("tel" for
    # "teal"): such a word says nothing about that person; it is counted, and only the rest of the
    # document (the corrected target) is held to the rule
    def clean_words(d):
        return d.split(" fixed : ", 1)[1].split() if d.startswith("fix : ") else d.split()
    hits = [d for d in train_docs if not held.isdisjoint(clean_words(d))]
    assert not hits, "training documents with held-out names: %d, e.g. %r" % (len(hits), hits[:3])
    typo_hits = sum(1 for d in train_docs if not held.isdisjoint(d.split()))
    ev_texts = _eval_texts(eval_dir, world)
    shared = ev_texts.intersection(train_docs)
    assert not shared, "evaluation items in the training documents: %r" % list(shared)[:3]
    # the generators still reproduce the committed evaluation sets (so the check above is about them)
    for kind in ("facts", "copyedit", "extract", "json"):
        committed = evalsets.load(eval_dir, kind)
        set_index = [k for k, _ in evalsets.SETS].index(kind)
        for i in (0, len(committed) - 1):
            regen = evalsets.make_item(world, kind, set_index, i)
            assert regen == committed[i], (kind, i)
    counts = {}
    for name, docs in (("train", train_docs), ("val", val_docs)):
        ids = [torch.tensor(tok.encode(d) + [tok.eot_id], dtype=torch.int32) for d in docs]
        counts[name] = sum(len(x) for x in ids)
        torch.save(ids, os.path.join(build_dir, name + "_tokens.pt"))
    with open(os.path.join(build_dir, "corpus_sample.txt"), "w") as f:
        f.write("".join(d + "<|endoftext|>\n" for d in train_docs[:200]))
    want["disjoint"] = {"held_out_names": len(held), "training_docs_with_held_out_names": 0,
                        "copyedit_typos_spelling_a_held_out_name": typo_hits,
                        "evaluation_texts_in_training": 0, "evaluation_texts_checked": len(ev_texts)}
    want["tokens"] = counts
    with open(stamp, "w") as f:
        json.dump(want, f, indent=2)
    log("corpus for mix %s: %d train docs (%d tokens), %d val docs, disjoint from models/eval, %.0fs" %
        (mix_name, len(train_docs), counts["train"], len(val_docs), time.time() - t0))
    return want


def quick_scores(model, tok, sets, n=50):
    """Greedy figures on the first n items of facts, copyedit, extract and json (training log)."""
    was = model.training
    model.eval()
    res = {}
    for kind, field in (("facts", "answer"), ("extract", "answer"), ("copyedit", "target")):
        items = sets[kind][:n]
        pred = evaluate.run(model, tok, [it["prompt"] for it in items], evaluate.MAX_NEW[kind])
        res[kind] = sum(evaluate.answer_of(p) == it[field] for p, it in zip(pred, items)) / len(items)
    items = sets["json"][:n]
    pred = evaluate.run(model, tok, [it["prompt"] for it in items], evaluate.MAX_NEW["json"])
    ok = 0
    for p, it in zip(pred, items):
        try:
            ok += json.loads(evaluate.answer_of(p)) == it["record"]
        except ValueError:
            pass
    res["json"] = ok / len(items)
    model.train(was)
    return res


def load_init(path, lm_dir):
    """A checkpoint's weights (e.g. story-lm's build/ckpt.pt), checked equal to lm_dir/model.onnx's."""
    import numpy as np
    import onnx
    from onnx import numpy_helper
    ck = torch.load(path)
    inits = {t.name[len("model."):] if t.name.startswith("model.") else t.name: numpy_helper.to_array(t)
             for t in onnx.load(os.path.join(lm_dir, "model.onnx")).graph.initializer}
    state = ck["state"]
    same = len(inits) == len(state) and all(k in state and np.array_equal(state[k].numpy(), v)
                                             for k, v in inits.items())
    if not same:
        raise SystemExit("%s does not hold the weights of %s/model.onnx" % (path, lm_dir))
    return ck


# weight_outputs: besides the answers (after " answer :"), the outputs of copy-with-edit (after
# " fixed :") and JSON (after " json :") get the answer loss weight, up to the newline or the end of
# the document (its end-of-text id included)
OUTPUT_MARKERS = (" answer :", " fixed :", " json :")


def stage_train(build_dir, lm_dir, eval_dir, mix_name, steps, lr, status, log=print, eval_every=500,
                init=None, weight_outputs=False):
    """init: a checkpoint to fine-tune (story-lm's build/ckpt.pt, checked against models/story-lm);
    None trains from scratch. weight_outputs: see OUTPUT_MARKERS (default: answers only)."""
    import train
    t0 = time.time()
    tok = bpe.Tokenizer.load(os.path.join(lm_dir, "tokenizer.json"))
    init_ck = load_init(init, lm_dir) if init else None
    info = build_corpus(build_dir, tok, mix_name, eval_dir, log=log)
    data_seconds = time.time() - t0
    sets = {k: evalsets.load(eval_dir, k) for k in ("facts", "copyedit", "extract", "json")}

    def hook(model, step):
        log("step %d quick scores (first 100 facts, first 50 others) %s" % (step, json.dumps(
            {k: round(v, 3) for k, v in quick_scores(model, tok, sets, 50).items()} |
            {"facts100": round(evaluate.facts_accuracy(model, tok, sets["facts"][:100]), 3)})))

    marker, newline = tok.encode(" answer :"), tok.encode("\n")
    assert len(newline) == 1, newline
    if weight_outputs:
        marker = [tok.encode(m) for m in OUTPUT_MARKERS]
        log("loss weight %g after %s" % (train.ANSWER_WEIGHT, ", ".join(repr(m) for m in OUTPUT_MARKERS)))
    model, stats = train.train(build_dir, len(tok.vocab), steps, marker, newline[0], lr=lr, log=log,
                               eval_hook=hook, eval_every=eval_every,
                               cfg=Config(**init_ck["config"]) if init_ck else None,
                               init_state=init_ck["state"] if init_ck else None)
    if weight_outputs:
        stats["weight_outputs"] = list(OUTPUT_MARKERS)
    if init_ck:
        stats["init"] = "fine-tuned from story-lm (build/ckpt.pt, the weights of models/story-lm/model.onnx)"
    torch.save({"state": model.state_dict(), "config": model.c.to_dict(), "stats": stats,
                "status": status, "mix_name": mix_name, "mix": corpus.MIXES[mix_name], "corpus": info,
                "data_seconds": round(data_seconds), "t_start": t0},
               os.path.join(build_dir, "ckpt.pt"))


def stage_finish(build_dir, lm_dir, eval_dir, out_dir, log=print):
    """Export to out_dir/model.onnx, ONNX check, reference.json, evaluation, configs, the tokenizer
    files (copied from lm_dir, unchanged) and MODEL_CARD.md."""
    ck = torch.load(os.path.join(build_dir, "ckpt.pt"))
    cfg = Config(**ck["config"])
    model = GPT(cfg)
    model.load_state_dict(ck["state"])
    model.eval()
    tok = bpe.Tokenizer.load(os.path.join(lm_dir, "tokenizer.json"))
    os.makedirs(out_dir, exist_ok=True)
    for f in ("tokenizer.json", "tokenizer_reference.json"):
        shutil.copyfile(os.path.join(lm_dir, f), os.path.join(out_dir, f))
    stats = {"train": ck["stats"], "status": ck["status"], "mix_name": ck["mix_name"], "mix": ck["mix"],
             "corpus": ck["corpus"]}
    stats["export"] = export.export(model, os.path.join(out_dir, "model.onnx"))
    log("exported %s" % stats["export"])
    stats["onnx_check"], ops = onnx_check.compare(os.path.join(out_dir, "model.onnx"), model)
    log("onnx graph (numpy interpreter) vs torch: %s; ops %s" % (stats["onnx_check"], ops))
    sets = {k: evalsets.load(eval_dir, k) for k, _ in evalsets.SETS}
    stats["reference_checks"] = reference.build(model, tok, sets["facts"], os.path.join(out_dir, "reference.json"))
    log("reference checks %s" % stats["reference_checks"])
    t_eval = time.time()
    stats["eval"] = evaluate.score(model, tok, sets)
    log("eval %s (%.0fs)" % (json.dumps(stats["eval"]), time.time() - t_eval))
    val = torch.load(os.path.join(build_dir, "val_tokens.pt"))
    trn = torch.load(os.path.join(build_dir, "train_tokens.pt"))
    stats["n_val_docs"] = len(val)
    stats["max_train_len"] = max(len(d) for d in trn)
    stats["forge_seconds"] = round(time.time() - ck["t_start"])
    card.write_configs(cfg, out_dir)
    with open(os.path.join(build_dir, "stats.json"), "w") as f:
        json.dump(stats, f, indent=2)
    saved = corpus.TRAIN_MIX
    corpus.TRAIN_MIX = ck["mix"]   # the card describes the mix this model was trained on
    try:
        card.write_card(out_dir, cfg, stats, len(trn), len(tok.vocab), len(tok.merges))
    finally:
        corpus.TRAIN_MIX = saved
    path = os.path.join(out_dir, "MODEL_CARD.md")
    tuned = "init" in ck["stats"]
    with open(path) as f:
        text = f.read()
    text = text.replace(
        "# story-lm\n", "# story-lm (candidate, mix `%s`)\n\nNot a committed model: made by "
        "`forge.py candidate --mix %s --steps %d --init %s --lr %g%s`; the corpus was checked disjoint from "
        "`models/eval` (%s).\n" % (ck["mix_name"], ck["mix_name"], ck["stats"]["steps"],
                                   "story-lm" if tuned else "scratch", ck["stats"]["lr"],
                                   " --weight-outputs" if "weight_outputs" in ck["stats"] else "",
                                   json.dumps(ck["corpus"].get("disjoint", {}))), 1)
    if tuned:
        text = text.replace("trained from scratch by `tools/forge`",
                            "fine-tuned by `tools/forge` from the committed story-lm (its checkpoint)", 1)
    with open(path, "w") as f:
        f.write(text)
    return stats
