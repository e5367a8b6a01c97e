#!/usr/bin/env bash
# Makes models/story-lm-draft (a much smaller causal LM on story-lm's tokenizer and training data, for
# speculative decoding) from scratch (fixed seeds). Needs story-lm's build (build/train_tokens.pt,
# val_tokens.pt, ckpt.pt from build.sh) and models/story-lm; Debian's python3-torch python3-onnx
# python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build_draft.sh [steps]   (default 3500 training steps, about 8 minutes on one idle core)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-3500}"
. "$HERE/env.sh"
"$PY" forge.py draft --steps "$STEPS" --threads "${FORGE_THREADS:-1}" 2>&1 | tee "$HERE/build/draft.log"
