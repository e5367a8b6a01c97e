"""Driver: `forge.py all --steps N` regenerates the world, eval sets, tokenizer, corpus, trains,
exports and writes the model folder. Stages can be re-run separately (see --help)."""
import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.path.join(HERE, "build")
EVAL_DIR = os.path.join(REPO, "models", "eval")
LM_DIR = os.path.join(REPO, "models", "story-lm")

import bpe, card, data, evalsets, evaluate, export, onnx_check, reference, tokref  # noqa: E402
from model import GPT, Config  # noqa: E402
from world import World  # noqa: E402


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def stage_data():
    world = World(1234)
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, "world.json"), "w") as f:
        json.dump({s: [p.to_json() for p in ps] for s, ps in world.people.items()}, f)
    evalsets.write_all(world, EVAL_DIR)
    os.makedirs(LM_DIR, exist_ok=True)
    tok = data.build(world, BUILD, os.path.join(LM_DIR, "tokenizer.json"))
    tokref.build(tok, os.path.join(LM_DIR, "tokenizer_reference.json"))
    log("data ready: vocab %d" % len(tok.vocab))


def stage_train(steps, status, lr):
    tok = bpe.Tokenizer.load(os.path.join(LM_DIR, "tokenizer.json"))
    facts = evalsets.load(EVAL_DIR, "facts")[:100]

    def hook(model, step):
        log("step %d facts accuracy (first 100) %.3f" % (step, evaluate.facts_accuracy(model, tok, facts)))

    marker, newline = tok.encode(" answer :"), tok.encode("\n")
    assert len(newline) == 1, newline
    model, stats = train_mod().train(BUILD, len(tok.vocab), steps, marker, newline[0], lr=lr, log=log,
                                     eval_hook=hook, eval_every=500)
    torch.save({"state": model.state_dict(), "config": model.c.to_dict(), "stats": stats,
                "status": status}, os.path.join(BUILD, "ckpt.pt"))


def train_mod():
    import train
    return train


def stage_finish(t_start=None):
    ck = torch.load(os.path.join(BUILD, "ckpt.pt"))
    cfg = Config(**ck["config"])
    model = GPT(cfg)
    model.load_state_dict(ck["state"])
    model.eval()
    tok = bpe.Tokenizer.load(os.path.join(LM_DIR, "tokenizer.json"))
    stats = {"train": ck["stats"], "status": ck["status"]}
    stats["export"] = export.export(model, os.path.join(LM_DIR, "model.onnx"))
    log("exported %s" % stats["export"])
    stats["onnx_check"], ops = onnx_check.compare(os.path.join(LM_DIR, "model.onnx"), model)
    log("onnx graph (numpy interpreter) vs torch: %s; ops %s" % (stats["onnx_check"], ops))
    sets = {k: evalsets.load(EVAL_DIR, k) for k, _ in evalsets.SETS}
    stats["reference_checks"] = reference.build(model, tok, sets["facts"], os.path.join(LM_DIR, "reference.json"))
    log("reference checks %s" % stats["reference_checks"])
    stats["eval"] = evaluate.score(model, tok, sets)
    log("eval %s" % json.dumps(stats["eval"]))
    val = torch.load(os.path.join(BUILD, "val_tokens.pt"))
    trn = torch.load(os.path.join(BUILD, "train_tokens.pt"))
    stats["n_val_docs"] = len(val)
    stats["max_train_len"] = max(len(d) for d in trn)
    if t_start is not None:
        stats["forge_seconds"] = round(time.time() - t_start)
    elif os.path.exists(os.path.join(BUILD, "t_start")):
        stats["forge_seconds"] = round(time.time() - float(open(os.path.join(BUILD, "t_start")).read()))
    card.write_configs(cfg, LM_DIR)
    with open(os.path.join(BUILD, "stats.json"), "w") as f:
        json.dump(stats, f, indent=2)
    n_merges = len(tok.merges)
    card.write_card(LM_DIR, cfg, stats, len(trn), len(tok.vocab), n_merges)
    return stats


def main():
    global BUILD
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["all", "data", "train", "finish"])
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--status", default="final")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    ap.add_argument("--build", default=None, help="folder for intermediate files (default build/)")
    a = ap.parse_args()
    if a.build:
        BUILD = os.path.abspath(a.build)
    torch.set_num_threads(a.threads)
    t0 = time.time()
    if a.stage in ("all", "data"):
        os.makedirs(BUILD, exist_ok=True)
        with open(os.path.join(BUILD, "t_start"), "w") as f:
            f.write(str(t0))
        stage_data()
    if a.stage in ("all", "train"):
        stage_train(a.steps, a.status, a.lr)
    if a.stage in ("all", "finish"):
        stage_finish()
    log("done in %.0fs" % (time.time() - t0))


if __name__ == "__main__":
    main()
