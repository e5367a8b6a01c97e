#!/usr/bin/env bash
# Makes models/story-mlm (masked LM on story-lm's tokenizer + <mask>) from scratch (fixed seeds).
# Needs models/story-lm/tokenizer.json and models/eval/recall.jsonl (from build.sh), Debian's
# python3-torch python3-onnx python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build_mlm.sh [steps]   (default 1200 training steps)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-1200}"
PY=/usr/bin/python3
"$PY" -c 'import torch, onnx, numpy' || {
  echo "needs: apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread" >&2; exit 1; }
# one torch thread, no idle BLAS/OpenMP workers, freed memory kept in the process (see build.sh)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000
mkdir -p "$HERE/build"
cd "$HERE"
"$PY" forge.py mlm --steps "$STEPS" --threads "${FORGE_THREADS:-1}" 2>&1 | tee "$HERE/build/mlm.log"
