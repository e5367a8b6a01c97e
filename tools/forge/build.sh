#!/usr/bin/env bash
# Regenerates models/eval/*.jsonl and models/story-lm/* from scratch (fixed seeds).
# Needs Debian's python3-torch python3-onnx python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build.sh [steps]   (default 2000 training steps, about 16 minutes on one core)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STEPS="${1:-2000}"
PY=/usr/bin/python3
"$PY" -c 'import torch, onnx, numpy' || {
  echo "needs: apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread" >&2; exit 1; }
# No extra BLAS/OpenMP worker threads: with one torch thread an idle OpenBLAS worker spun beside it
# and took a quarter to a third of a core. glibc malloc keeps freed memory instead of unmapping the
# step's large, differently shaped buffers every step. Measured here, two runs side by side on one
# thread each: 2700 tokens/s with the malloc settings alone, 3100 with both.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000
mkdir -p "$HERE/build"
cd "$HERE"
"$PY" forge.py all --steps "$STEPS" --threads "${FORGE_THREADS:-1}" 2>&1 | tee "$HERE/build/forge.log"
