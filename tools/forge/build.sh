#!/usr/bin/env bash
# Regenerates models/eval/*.jsonl and models/story-lm/* from scratch (fixed seeds).
# Needs Debian's python3-torch python3-onnx python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build.sh [steps]   (default 2000 training steps, about 16 minutes on one core)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-2000}"
. "$HERE/env.sh"
"$PY" forge.py all --steps "$STEPS" --threads "${FORGE_THREADS:-1}" 2>&1 | tee "$HERE/build/forge.log"
