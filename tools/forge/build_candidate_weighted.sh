#!/usr/bin/env bash
# Makes the candidate story-lm with weighted outputs (`forge.py candidate --weight-outputs`): like
# build_candidate.sh (fine-tune story-lm on mix all-tasks-edit, peak lr 1e-3), but the outputs after
# " fixed :" (copy-with-edit) and " json :" (JSON) get the answer loss weight (5) like the answers after
# " answer :". Intermediate files in tools/forge/build/candidate2-work/, the model folder
# tools/forge/build/candidate2-story-lm/ (both git-ignored; models/ is not touched).
# With DRAFT_STEPS > 0, then trains a matching draft into tools/forge/build/candidate2-draft/: the draft
# shape (draft.SHAPE) on the candidate's corpus, distilled against the candidate's checkpoint
# (--distill, default 0.5; 0 = plain cross-entropy), figures against the candidate.
# Needs what build_candidate.sh needs (build.sh's build/ckpt.pt, models/story-lm, models/eval).
# Usage: tools/forge/build_candidate_weighted.sh [steps] [draft_steps] [distill]
#   defaults 2600 steps (about 21 minutes at 0.48 s a step on one shared core), no draft.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-2600}"
DRAFT_STEPS="${2:-0}"
DISTILL="${3:-0.5}"
. "$HERE/env.sh"
mkdir -p build/candidate2-work
# the corpus of mix all-tasks-edit is the same for every candidate: reuse one already made
for d in build/candidate-work-edit build/candidate-work; do
  if [ ! -e build/candidate2-work/train_tokens.pt ] && [ -e "$d/mix.json" ] && grep -q '"mix_name": "all-tasks-edit"' "$d/mix.json"; then
    cp "$d/mix.json" "$d/train_tokens.pt" "$d/val_tokens.pt" "$d/corpus_sample.txt" build/candidate2-work/
  fi
done
"$PY" forge.py candidate --mix all-tasks-edit --steps "$STEPS" --init story-lm --lr 1e-3 --weight-outputs \
  --threads "${FORGE_THREADS:-1}" --status candidate --build build/candidate2-work --out build/candidate2-story-lm 2>&1 \
  | tee build/candidate2-work/candidate.log
if [ "$DRAFT_STEPS" -gt 0 ]; then
  "$PY" forge.py draft --steps "$DRAFT_STEPS" --distill "$DISTILL" --weight-outputs --threads "${FORGE_THREADS:-1}" \
    --status candidate --build build/candidate2-work --teacher build/candidate2-story-lm --out build/candidate2-draft 2>&1 \
    | tee build/candidate2-work/draft.log
fi
