"""The forge's labelled sentences (`corpus.labels_example`, the generator of models/eval/labels.jsonl)
as a training set for the example heads `story-topic` and `story-sentiment`.

    /usr/bin/python3 tools/forge/story_labels.py --out examples/datasets/story-labels.jsonl [--n 900]

Pure standard library (corpus.py and world.py import no torch). Differences from the evaluation set:

- people: the world's (seed 1234) *train* people, not its evaluation people, so no name of the
  evaluation set occurs here;
- seeds: candidate k is `labels_example(random.Random(SEED_BASE + k), train people)` with
  SEED_BASE = 2_000_000 and k = 0, 1, 2, ...; evaluation items use 1_000_000 + 10_000 * set + i
  (labels: 1_060_000 - 1_060_299), so the ranges are disjoint;
- a candidate whose text is already in this set or in models/eval/labels.jsonl is skipped (only the
  one name-free template, "the forecast said rain for <city> .", can repeat), and the script
  asserts that no text of the output occurs in labels.jsonl.

Each row: {"id": "story-NNNN", "seed": ..., "text": ..., "topic": ..., "sentiment": ...}.
"""
import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

import corpus  # noqa: E402
import evalsets  # noqa: E402
from world import World  # noqa: E402

SEED_BASE = 2_000_000
WORLD_SEED = 1234


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=900)
    a = ap.parse_args()

    world = World(WORLD_SEED)
    eval_items = evalsets.load(os.path.join(REPO, "models", "eval"), "labels")
    # the committed evaluation set is still what this generator makes: same generator, other seeds
    set_index = [k for k, _ in evalsets.SETS].index("labels")
    for i in (0, 1, len(eval_items) - 1):
        again = evalsets.make_item(world, "labels", set_index, i)
        assert again == eval_items[i], "models/eval/labels.jsonl no longer matches the generator (item %d)" % i
    eval_texts = {it["text"] for it in eval_items}
    eval_seeds = {it["seed"] for it in eval_items}

    pool = world.people["train"]
    rows, seen, k = [], set(), 0
    while len(rows) < a.n:
        seed = SEED_BASE + k
        k += 1
        assert seed not in eval_seeds
        ex = corpus.labels_example(random.Random(seed), pool)
        text = ex["text_"]
        if text in seen or text in eval_texts:
            continue
        seen.add(text)
        rows.append({"id": "story-%04d" % len(rows), "seed": seed, "text": text, "topic": ex["topic"],
                     "sentiment": ex["sentiment"]})
    assert not {r["text"] for r in rows} & eval_texts

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    print("wrote %d rows to %s (seeds %d-%d, %d skipped as repeats)" % (len(rows), a.out, SEED_BASE,
                                                                       SEED_BASE + k - 1, k - len(rows)))


if __name__ == "__main__":
    main()
