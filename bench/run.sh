#!/usr/bin/env bash
# Sextant benchmarks. `bench/run.sh greedy-loop`, `bench/run.sh all`; see bench/README.md.
# Builds the project first when the harness or the plugin archives are missing or older than the
# sources, then runs the harness on this machine. Each benchmark prints a table ending with
#   RESULT <name> ratio=<sextant/baseline> key=value ...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCHMARKS=(greedy-loop decode-overhead speculative reagent heads compression constraints)
JAR="$ROOT/bench/target/sextant-bench.jar"
CLASSPATH_FILE="$ROOT/bench/target/classpath.txt"
PLUGINS="$ROOT/target/plugins"

usage() {
  cat >&2 <<USAGE
usage: bench/run.sh <benchmark>... [options]
benchmarks:
  greedy-loop   greedy tokens/s through Sextant (PF4J plugins, pipeline file, PipelineSet.run)
                vs a minimal hand-written ONNX Runtime loop on the same model, batch 1
  decode-overhead  greedy-loop on story-lm, and on a GPT-2-small-shaped model with random weights if
                tools/forge/build_gpt2_small.sh wrote one; RESULT ratio_story=... ratio_gpt2small=...
  speculative   prompt-lookup decoding on the copy-with-edit set and draft-model speculation (story-lm-draft)
                vs greedy, outputs compared token for token; RESULT iad_speedup= draft_speedup= identical=
  reagent       ReAGent time per attributed token, Sextant vs an inseq-style port on raw ONNX Runtime,
                same model, settings and seeds; and how often both give the same top 3
  heads         one request with 8 task heads vs 1 head on one encoder pass (pipeline runs);
                encoder texts/s by batch size
  compression   llmlingua2: share of time in the tagger's forward pass, tokens/s (short and joined
                contexts; a BERT-base-sized tagger too if tools/forge/build_tagger_base.sh wrote one);
                compress+answer vs answer latency, question-agnostic and question-aware;
                ZIP-FIT documents scored per second against 100 targets
  constraints   json-schema token masks over the constraints plugin's schema corpus (compile time, share
                supported, per-step mask time along seeded random walks) and regex masks, on story-lm's
                vocabulary and GPT-2's, cl100k and o200k (jtokkit's files); e2e slowdown on story-lm
  all           every benchmark above
options (passed to the harness):
  --warmup N       warm-up runs of each path before measuring (default 20)
  --rounds N       measured rounds, every path once per round, interleaved (default 30)
  --prompt TEXT    the prompt (default: the first built-in prompt the model continues for 64+ tokens)
  --plugins DIR    plugins folder (default target/plugins)
  --pipelines FILE pipeline file (default bench/pipelines/<benchmark>.yaml)
environment:
  BENCH_JAVA_OPTS  extra JVM options; DJL_CACHE_DIR defaults to target/djl-cache
USAGE
}

# Check the benchmark names before building anything.
[ $# -ge 1 ] || { usage; exit 2; }
named=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  arg="${args[$i]}"
  case "$arg" in
    -h|--help|help) usage; exit 0 ;;
    --*) i=$((i + 1)) ;;  # an option and its value
    all) named=1 ;;
    *)
      known=0
      for b in "${BENCHMARKS[@]}"; do [ "$arg" = "$b" ] && known=1; done
      if [ "$known" = 0 ]; then
        echo "bench: unknown benchmark '$arg'" >&2
        usage
        exit 2
      fi
      named=1 ;;
  esac
done
[ "$named" = 1 ] || { echo "bench: name a benchmark to run" >&2; usage; exit 2; }

if ! command -v java >/dev/null 2>&1; then
  echo "bench: Java 17 or newer is needed on PATH" >&2
  exit 1
fi

stale() {
  [ -f "$JAR" ] && [ -f "$CLASSPATH_FILE" ] || return 0
  ls "$PLUGINS"/*.zip >/dev/null 2>&1 || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/spi" "$ROOT/host" "$ROOT/plugins" "$ROOT/bench" \
      \( -name target -prune \) -o \( -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' \
      -o -name '*.xml' \) -newer "$JAR" -print \) 2>/dev/null | head -n 1)" ]
}

if stale; then
  echo "bench: building (harness or plugins missing, or sources changed) ..." >&2
  mkdir -p "$ROOT/target"
  (
    # one build at a time, shared with bin/sextant
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    if stale; then
      (cd "$ROOT" && ./mvnw -B -q -DskipTests package) >&2 \
        || { echo "bench: the build failed; run ./mvnw -DskipTests package to see why" >&2; exit 1; }
    fi
  ) 9>"$ROOT/target/.build.lock"
fi

export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/target/djl-cache}"
cd "$ROOT"
exec java ${BENCH_JAVA_OPTS:-} -Dsextant.home="$ROOT" -cp "$JAR:$(cat "$CLASSPATH_FILE")" dev.sextant.bench.Bench "$@"
