#!/usr/bin/env bash
# Writes a BERT-base-sized token tagger with random weights (LLMLingua-2's model size, about 340 MB;
# not committed) for bench/run.sh compression. Needs Debian's python3-torch python3-onnx
# python3-numpy libopenblas0-pthread; runs /usr/bin/python3.
# Usage: tools/forge/build_tagger_base.sh [out-dir]   (default bench/target/models/tagger-base)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/../../bench/target/models/tagger-base}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
. "$HERE/env.sh"
"$PY" tagger_base.py "$OUT"
