"""`forge.py adopt`: makes a candidate story-lm (and its draft) the committed models.

The committed story-lm is made in two runs: build.sh trains the base model on facts and writes
models/story-lm; build_candidate_weighted.sh fine-tunes that base on every task (and distils a draft
against the result) into tools/forge/build/. Adopting copies those folders into models/ unchanged,
except for the cards' headers, which then say how the committed files were made. Nothing is
retrained or re-exported, so the cards' sha256 tables stay true (the cards list every file but
themselves)."""
import filecmp
import hashlib
import os
import re
import shutil

LM_FILES = ("config.json", "generation_config.json", "model.onnx", "reference.json", "tokenizer.json",
            "tokenizer_reference.json")
DRAFT_FILES = ("config.json", "generation_config.json", "model.onnx", "reference.json", "tokenizer.json")


def _check_card_hashes(folder, files):
    """The card's sha256 table must describe the files being copied (a stale card is refused)."""
    with open(os.path.join(folder, "MODEL_CARD.md")) as f:
        card = f.read()
    for name in files:
        with open(os.path.join(folder, name), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if "`%s` | %d | `%s`" % (name, os.path.getsize(os.path.join(folder, name)), digest) not in card:
            raise SystemExit("%s/MODEL_CARD.md does not list %s as it is (size or sha256): finish it again"
                             % (folder, name))
    return card


def _copy(src, dst, files, card):
    os.makedirs(dst, exist_ok=True)
    for name in files:
        shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
    with open(os.path.join(dst, "MODEL_CARD.md"), "w") as f:
        f.write(card)


def lm_header(card, recipe):
    """The candidate card's title and 'Not a committed model' paragraph -> the committed model's."""
    m = re.match(r"# story-lm \(candidate, mix `([^`]+)`\)\n\nNot a committed model: made by (`[^`]+`); "
                 r"(the corpus was checked disjoint from `models/eval` \([^\n]*\))\.\n", card)
    if not m:
        raise SystemExit("not a candidate story-lm card (its first paragraph is not the candidate's)")
    head = ("# story-lm\n\nThe committed story-lm, made in two runs: `tools/forge/build.sh` trains the base model "
            "on facts (its checkpoint `build/ckpt.pt`), then `%s` fine-tunes that checkpoint on every task "
            "(mix `%s`): %s; %s. `forge.py adopt` copied the result here unchanged.\n"
            % (recipe, m.group(1), m.group(2), m.group(3)))
    card = head + card[m.end():]
    card = card.replace("fine-tuned by `tools/forge` from the committed story-lm (its checkpoint)",
                        "fine-tuned by `tools/forge` from the facts-only base model (its checkpoint)", 1)
    return card.replace("Status: **candidate**.", "Status: **final**.", 1)


def draft_header(card, recipe):
    m = re.match(r"# story-lm-draft\n\nNot a committed model: the draft of the candidate `[^`]+` "
                 r"\(\"story-lm\" below means that candidate\), made by (`[^`]+`), trained on the candidate's "
                 r"corpus\.\n", card)
    if not m:
        raise SystemExit("not the card of a candidate's draft (its first paragraph is not the candidate draft's)")
    head = ("# story-lm-draft\n\nThe draft of the committed story-lm, made by `%s` after the candidate: %s, "
            "trained on the candidate's corpus and distilled against it. `forge.py adopt` copied it here "
            "unchanged.\n" % (recipe, m.group(1)))
    card = head + card[m.end():]
    return card.replace("Status: **candidate**.", "Status: **final**.", 1)


def adopt(lm_src, lm_dst, draft_src, draft_dst, recipe, log=print):
    lm_card = _check_card_hashes(lm_src, LM_FILES)
    if not filecmp.cmp(os.path.join(lm_src, "tokenizer.json"), os.path.join(lm_dst, "tokenizer.json"), shallow=False):
        raise SystemExit("%s has another tokenizer than %s: every model on it would change" % (lm_src, lm_dst))
    new_lm_card = lm_header(lm_card, recipe)
    new_draft_card = None
    if draft_src:
        draft_card = _check_card_hashes(draft_src, DRAFT_FILES)
        if not filecmp.cmp(os.path.join(lm_src, "tokenizer.json"), os.path.join(draft_src, "tokenizer.json"),
                           shallow=False):
            raise SystemExit("%s has another tokenizer than %s" % (draft_src, lm_src))
        new_draft_card = draft_header(draft_card, recipe)
    _copy(lm_src, lm_dst, LM_FILES, new_lm_card)
    log("adopted %s as %s" % (lm_src, lm_dst))
    if draft_src:
        _copy(draft_src, draft_dst, DRAFT_FILES, new_draft_card)
        log("adopted %s as %s" % (draft_src, draft_dst))
