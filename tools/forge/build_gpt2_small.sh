#!/usr/bin/env bash
# Writes a causal LM of GPT-2 small's shape with random weights (about 500 MB; not committed) for the
# decode-overhead benchmark. Needs Debian's python3-torch python3-onnx python3-numpy
# libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build_gpt2_small.sh [out-dir]   (default bench/target/models/gpt2-small-random)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/../../bench/target/models/gpt2-small-random}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
. "$HERE/env.sh"
"$PY" gpt2_small.py "$OUT"
