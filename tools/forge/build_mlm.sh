#!/usr/bin/env bash
# Makes models/story-mlm (masked LM on story-lm's tokenizer + <mask>) from scratch (fixed seeds).
# Needs models/story-lm/tokenizer.json and models/eval/recall.jsonl (from build.sh), Debian's
# python3-torch python3-onnx python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build_mlm.sh [steps]   (default 1200 training steps)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-1200}"
. "$HERE/env.sh"
"$PY" forge.py mlm --steps "$STEPS" --threads "${FORGE_THREADS:-1}" 2>&1 | tee "$HERE/build/mlm.log"
