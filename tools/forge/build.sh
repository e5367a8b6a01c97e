#!/usr/bin/env bash
# Regenerates models/eval/*.jsonl and models/story-lm/* from scratch (fixed seeds).
# Needs Debian's python3-torch python3-onnx python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build.sh [steps]   (default 2500 training steps, ~45 minutes on 2 cores)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-2500}"
PY=/usr/bin/python3
"$PY" -c 'import torch, onnx, numpy' || {
  echo "needs: apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread" >&2; exit 1; }
mkdir -p "$HERE/build"
cd "$HERE"
"$PY" forge.py all --steps "$STEPS" --threads "${FORGE_THREADS:-1}" 2>&1 | tee "$HERE/build/forge.log"
