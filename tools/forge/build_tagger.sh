#!/usr/bin/env bash
# Makes models/story-tagger (keep/drop token tagger on story-lm's tokenizer) from scratch (fixed seeds).
# Needs models/story-lm/tokenizer.json and models/eval/compression.jsonl (from build.sh), Debian's
# python3-torch python3-onnx python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build_tagger.sh [steps]   (default 600 training steps)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-600}"
. "$HERE/env.sh"
"$PY" forge.py tagger --steps "$STEPS" --threads "${FORGE_THREADS:-1}" 2>&1 | tee "$HERE/build/tagger.log"
