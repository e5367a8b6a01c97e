"""Driver: `forge.py all --steps N` regenerates the world, eval sets, tokenizer, corpus, trains,
exports and writes the model folder. Stages can be re-run separately (see --help); `forge.py export`
re-exports story-lm's model.onnx from its checkpoint without training.
`forge.py mlm --steps N` makes models/story-mlm (masked LM) on story-lm's tokenizer;
`forge.py tagger --steps N` makes models/story-tagger (keep/drop token tagger) on the same tokenizer;
`forge.py draft --steps N` makes models/story-lm-draft (a much smaller causal LM for speculative decoding)
on story-lm's tokenizer and training data."""
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
MLM_DIR = os.path.join(REPO, "models", "story-mlm")
TAGGER_DIR = os.path.join(REPO, "models", "story-tagger")
DRAFT_DIR = os.path.join(REPO, "models", "story-lm-draft")

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


def stage_export():
    """Re-exports models/story-lm/model.onnx from build/ckpt.pt with the current export code (no
    training): refuses unless the new graph holds the same weights as the committed one, checks it,
    and rewrites the card's Files, Architecture and ONNX interface sections; reference.json, the
    tokenizer, the configs and the card's training and evaluation figures stay as they are."""
    import numpy as np
    import onnx
    from onnx import numpy_helper
    ck = torch.load(os.path.join(BUILD, "ckpt.pt"))
    cfg = Config(**ck["config"])
    model = GPT(cfg)
    model.load_state_dict(ck["state"])
    model.eval()
    path = os.path.join(LM_DIR, "model.onnx")
    fresh = path + ".new"
    ex = export.export(model, fresh)

    def weights(p):
        return {t.name: numpy_helper.to_array(t) for t in onnx.load(p).graph.initializer}
    old_w, new_w = weights(path), weights(fresh)
    if old_w.keys() != new_w.keys() or any(not np.array_equal(old_w[k], new_w[k]) for k in old_w):
        os.remove(fresh)
        raise SystemExit("build/ckpt.pt does not hold the weights of %s: run `forge.py finish` to "
                         "replace the whole model folder instead" % path)
    os.replace(fresh, path)
    with open(os.path.join(BUILD, "stats.json")) as f:
        stats = json.load(f)
    stats["export"] = ex
    log("exported %s" % ex)
    stats["onnx_check"], ops = onnx_check.compare(path, model)
    log("onnx graph (numpy interpreter) vs torch: %s; ops %s" % (stats["onnx_check"], ops))
    card.refresh_export_sections(LM_DIR, cfg, stats, cfg.vocab_size)
    with open(os.path.join(BUILD, "stats.json"), "w") as f:
        json.dump(stats, f, indent=2)
    return stats


def stage_mlm(steps, lr, status):
    """models/story-mlm: tokenizer (story-lm's + <mask>), corpus (build/mlm_*_tokens.pt, made once),
    training; the checkpoint goes to build/mlm_ckpt.pt. Then stage_mlm_finish."""
    import mlm
    t0 = time.time()
    os.makedirs(MLM_DIR, exist_ok=True)
    os.makedirs(BUILD, exist_ok=True)
    tok_path = os.path.join(MLM_DIR, "tokenizer.json")
    mask_id = mlm.write_tokenizer(os.path.join(LM_DIR, "tokenizer.json"), tok_path)
    tok = bpe.Tokenizer.load(os.path.join(LM_DIR, "tokenizer.json"))
    paths, made = mlm.build_corpus(World(1234), tok, BUILD, log=log)
    data_seconds = time.time() - t0
    model, stats = mlm.train(paths["train"], paths["val"], mask_id + 1, mask_id, steps, lr=lr, log=log)
    stats["corpus_seconds"] = round(data_seconds) if made else None
    torch.save({"state": model.state_dict(), "config": model.c.to_dict(), "stats": stats,
                "status": status, "t_start": t0}, os.path.join(BUILD, "mlm_ckpt.pt"))


def stage_mlm_finish():
    """Export, ONNX-vs-torch check, reference.json, config.json and MODEL_CARD.md of story-mlm."""
    import mlm
    from encoder import EncoderConfig, MaskedLM
    ck = torch.load(os.path.join(BUILD, "mlm_ckpt.pt"))
    cfg = EncoderConfig(**ck["config"])
    model = MaskedLM(cfg)
    model.load_state_dict(ck["state"])
    model.eval()
    mask_id = cfg.vocab_size - 1
    tok = bpe.Tokenizer.load(os.path.join(LM_DIR, "tokenizer.json"))
    stats = {"train": ck["stats"], "status": ck["status"], "mask_token_id": mask_id}
    recall = evalsets.load(EVAL_DIR, "recall")
    stats["recall_prompts"] = mlm.recall_prompt_figures(model, tok, recall, mask_id)
    log("recall prompts (masked as in training) %s" % stats["recall_prompts"])
    path = os.path.join(MLM_DIR, "model.onnx")
    stats["export"] = export.export_mlm(model, path)
    log("exported %s" % stats["export"])
    stats["onnx_check"], ops = onnx_check.compare_mlm(path, model)
    log("onnx graph (numpy interpreter) vs torch: %s; ops %s" % (stats["onnx_check"], ops))
    stats["reference_checks"] = mlm.build_reference(model, tok, recall, mask_id,
                                                    os.path.join(MLM_DIR, "reference.json"))
    log("reference checks %s" % stats["reference_checks"])
    stats["forge_seconds"] = round(time.time() - ck["t_start"])
    card.write_mlm_config(cfg, MLM_DIR, mask_id)
    with open(os.path.join(BUILD, "mlm_stats.json"), "w") as f:
        json.dump(stats, f, indent=2)
    card.write_mlm_card(MLM_DIR, cfg, stats)
    return stats


def stage_tagger(steps, lr, status, finish_only=False):
    """models/story-tagger: data (compression examples on train / validation people, disjoint from
    compression.jsonl), training (checkpoint build/tagger_ckpt.pt), then export, ONNX check,
    reference.json, config.json, tokenizer.json (story-lm's, copied) and MODEL_CARD.md."""
    import tagger
    os.makedirs(BUILD, exist_ok=True)
    world = World(tagger.WORLD_SEED)
    tok = bpe.Tokenizer.load(os.path.join(LM_DIR, "tokenizer.json"))
    items = tagger.load_eval(EVAL_DIR, world)
    if not finish_only:
        tagger.stage_train(world, tok, items, BUILD, steps, lr, status, log=log)
    return tagger.stage_finish(world, tok, items, BUILD, TAGGER_DIR, os.path.join(LM_DIR, "tokenizer.json"), log=log)


def stage_draft(steps, lr, status, distill, finish_only=False, lm_dir=None, out_dir=None, weight_outputs=False):
    """models/story-lm-draft: trained on the data stage's build/train_tokens.pt with train.py (checkpoint
    build/draft_ckpt.pt), then agreement figures against story-lm (build/ckpt.pt), export, ONNX check,
    reference.json, configs, tokenizer.json (story-lm's, copied) and MODEL_CARD.md.
    lm_dir, out_dir (--teacher, --out): the draft of a candidate instead, e.g. --build
    build/candidate2-work --teacher build/candidate2-story-lm --out build/candidate2-draft (its corpus,
    its checkpoint as the teacher, checked against the candidate's model.onnx)."""
    import draft
    lm_dir = lm_dir or LM_DIR
    tok = bpe.Tokenizer.load(os.path.join(lm_dir, "tokenizer.json"))
    if not finish_only:
        draft.stage_train(BUILD, lm_dir, tok, steps, lr, status, distill=distill, log=log,
                          weight_outputs=weight_outputs)
    note = None
    if lm_dir != LM_DIR:
        ck = torch.load(os.path.join(BUILD, "draft_ckpt.pt"))["stats"]
        note = ("Not a committed model: the draft of the candidate `%s` (\"story-lm\" below means that "
                "candidate), made by `forge.py draft --build %s --teacher %s --out %s --steps %d --lr %g "
                "--distill %g%s`, trained on the candidate's corpus." % (
                    os.path.basename(lm_dir), os.path.relpath(BUILD, HERE), os.path.relpath(lm_dir, HERE),
                    os.path.relpath(out_dir or DRAFT_DIR, HERE), ck["steps"], ck["lr"], ck.get("distill", 0.0),
                    " --weight-outputs" if "weighted_spans_after_markers" in ck else ""))
    return draft.stage_finish(BUILD, lm_dir, out_dir or DRAFT_DIR, EVAL_DIR, tok, log=log, note=note)


def main():
    global BUILD
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["all", "data", "train", "finish", "export", "mlm", "mlm-finish",
                                   "tagger", "tagger-finish", "draft", "draft-finish",
                                   "candidate", "candidate-finish", "adopt"],
                    help="all = data, train, finish (story-lm); export = re-export story-lm's model.onnx "
                         "from build/ckpt.pt; mlm = story-mlm (then mlm-finish); tagger = story-tagger "
                         "(then tagger-finish); draft = story-lm-draft (then draft-finish); "
                         "candidate = a story-lm trained on --mix into --out, not models/ (then candidate-finish); "
                         "adopt = copy a finished candidate (--from) and its draft (--draft-from) into models/")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--status", default="final")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=None, help="peak learning rate (LM 3e-3, MLM 2e-3, tagger 2e-3, draft 3e-3)")
    ap.add_argument("--distill", type=float, default=0.0,
                    help="draft only: weight of KL(story-lm || draft) in the loss (0 = plain cross-entropy)")
    ap.add_argument("--build", default=None, help="folder for intermediate files (default build/; "
                                                  "candidate: build/candidate-work/)")
    ap.add_argument("--mix", default="all-tasks", help="candidate only: a named mix of corpus.MIXES")
    ap.add_argument("--out", default=None, help="candidate: model folder (default build/candidate-story-lm/); "
                                                "draft: model folder (default models/story-lm-draft)")
    ap.add_argument("--init", choices=["scratch", "story-lm"], default="scratch",
                    help="candidate only: train from scratch, or fine-tune story-lm (build/ckpt.pt, checked "
                         "against models/story-lm/model.onnx)")
    ap.add_argument("--teacher", default=None,
                    help="draft only: the teacher's model folder (default models/story-lm), e.g. a candidate's "
                         "--out; its checkpoint is --build's ckpt.pt; needs --out")
    ap.add_argument("--weight-outputs", action="store_true",
                    help="candidate and draft: give the outputs after ' fixed :' (copy-with-edit) and ' json :' "
                         "(JSON) the answer loss weight too (default: only answers after ' answer :')")
    ap.add_argument("--from", dest="source", default=None,
                    help="adopt only: the candidate's model folder (default build/candidate2-story-lm)")
    ap.add_argument("--draft-from", default=None,
                    help="adopt only: its draft's model folder (default build/candidate2-draft; 'none' keeps the draft)")
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
        stage_train(a.steps, a.status, a.lr or 3e-3)
    if a.stage in ("all", "finish"):
        stage_finish()
    if a.stage == "export":
        stage_export()
    if a.stage == "mlm":
        stage_mlm(a.steps, a.lr or 2e-3, a.status)
    if a.stage in ("mlm", "mlm-finish"):
        stage_mlm_finish()
    if a.stage in ("tagger", "tagger-finish"):
        stage_tagger(a.steps, a.lr or 2e-3, a.status, finish_only=a.stage == "tagger-finish")
    if a.stage in ("draft", "draft-finish"):
        if a.teacher and not a.out:
            raise SystemExit("--teacher needs --out (a folder for the draft, not models/story-lm-draft)")
        stage_draft(a.steps, a.lr or 3e-3, a.status, a.distill, finish_only=a.stage == "draft-finish",
                    lm_dir=os.path.abspath(a.teacher) if a.teacher else None,
                    out_dir=os.path.abspath(a.out) if a.out else None, weight_outputs=a.weight_outputs)
    if a.stage in ("candidate", "candidate-finish"):
        import candidate
        cbuild = os.path.abspath(a.build) if a.build else os.path.join(HERE, "build", "candidate-work")
        out = os.path.abspath(a.out) if a.out else os.path.join(HERE, "build", "candidate-story-lm")
        if a.stage == "candidate":
            candidate.stage_train(cbuild, LM_DIR, EVAL_DIR, a.mix, a.steps, a.lr or 3e-3, a.status, log=log,
                                  init=os.path.join(HERE, "build", "ckpt.pt") if a.init == "story-lm" else None,
                                  weight_outputs=a.weight_outputs)
        candidate.stage_finish(cbuild, LM_DIR, EVAL_DIR, out, log=log)
    if a.stage == "adopt":
        import adopt
        draft_src = a.draft_from or os.path.join(HERE, "build", "candidate2-draft")
        adopt.adopt(os.path.abspath(a.source or os.path.join(HERE, "build", "candidate2-story-lm")), LM_DIR,
                    None if draft_src == "none" else os.path.abspath(draft_src), DRAFT_DIR,
                    "tools/forge/build_candidate_weighted.sh 2600 1500", log=log)
    log("done in %.0fs" % (time.time() - t0))


if __name__ == "__main__":
    main()
