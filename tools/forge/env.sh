# Sourced by build.sh and build_mlm.sh: the Python and process settings every forge run uses.
# Needs Debian's python3-torch python3-onnx python3-numpy libopenblas0-pthread; uses /usr/bin/python3
# (the first python3 on PATH may lack torch).
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
