#!/usr/bin/env bash
# Makes a CANDIDATE story-lm on a named training mix (corpus.MIXES, default all-tasks-edit: facts plus
# extract, copy-with-edit, JSON, recall, compression and stories; not labels) with story-lm's architecture
# and its unchanged tokenizer, into tools/forge/build/candidate-story-lm/ (git-ignored; models/ is not
# touched). Intermediate files go to tools/forge/build/candidate-work/.
# Needs models/story-lm/tokenizer.json and models/eval; Debian's python3-torch python3-onnx
# python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build_candidate.sh [steps] [mix] [init] [lr]
#   init: story-lm (default: fine-tune story-lm's checkpoint build/ckpt.pt from build.sh, checked against
#   models/story-lm/model.onnx) or scratch; defaults 1800 steps, mix all-tasks-edit, peak lr 1e-3 (scratch: 3e-3).
#   Measured here on one shared core: about 0.55-0.75 s a step.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-1800}"
MIX="${2:-all-tasks-edit}"
INIT="${3:-story-lm}"
LR="${4:-$([ "$INIT" = scratch ] && echo 3e-3 || echo 1e-3)}"
. "$HERE/env.sh"
mkdir -p "$HERE/build/candidate-work"
"$PY" forge.py candidate --mix "$MIX" --steps "$STEPS" --init "$INIT" --lr "$LR" --threads "${FORGE_THREADS:-1}" --status candidate 2>&1 \
  | tee "$HERE/build/candidate-work/candidate.log"
