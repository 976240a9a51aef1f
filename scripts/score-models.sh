#!/usr/bin/env bash
# Scores models on the evaluation splits with both evaluators, as the model tables of
# docs/models.md, docs/evaluation.md and docs/ecgan.md report them: every pair of each
# split (or the first COUNT), f32, one JSON per model x split x evaluator.
#
#   scripts/score-models.sh OUT NAME=MODEL[,EXTRA_EVAL_FLAG...] ...
#   e.g. scripts/score-models.sh /work/runs/scores default=models/landscape-lggan.safetensors \
#            S-posterior=models/landscape-lggan-styles.safetensors,--style-from-real
#   then: python3 scripts/score-table.py OUT default S-posterior
#
# Environment:
#   SPLITS      splits under DATA (default "test test-painted"; snapshot choice: "val val-painted")
#   DATA        the directory holding the splits (default /work/data/landscapes; docs/dataset.md makes them)
#   EVALUATORS  "shipped", "mix" or both (default "shipped mix"): models/landscape-segmenter.safetensors
#               and models/landscape-segmenter-mix.safetensors
#   COUNT       first N pairs of each split (default: all)
#   SCENEPAINT_BIN  the binary (default: this checkout's release build)
#
# Writes OUT/NAME/SPLIT.EVALUATOR.json (and .txt, the table eval prints). A file that
# exists is kept, so the script can be run again after an interruption, or with more
# models, and scores only what is missing. eval writes its JSON atomically.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUT NAME=MODEL[,EXTRA_EVAL_FLAG...] ..." >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$1; shift
bin=${SCENEPAINT_BIN:-$repo/.build/release/scenepaint}
data=${DATA:-/work/data/landscapes}
read -r -a splits <<< "${SPLITS:-test test-painted}"
read -r -a evaluators <<< "${EVALUATORS:-shipped mix}"
count=(); [ -n "${COUNT:-}" ] && count=(--count "$COUNT")
for spec in "$@"; do
  name=${spec%%=*} rest=${spec#*=}
  [ "$name" != "$spec" ] && [ -n "$name" ] || { echo "$spec: expected NAME=MODEL" >&2; exit 2; }
  IFS=, read -r -a parts <<< "$rest"
  model=${parts[0]} extra=("${parts[@]:1}")
  [ -f "$model" ] || { echo "$model: no such model file (for $name)" >&2; exit 2; }
  mkdir -p "$out/$name"
  for split in "${splits[@]}"; do
    [ -d "$data/$split/layouts" ] || { echo "$data/$split: no such split (docs/dataset.md makes it)" >&2; exit 2; }
    for ev in "${evaluators[@]}"; do
      case $ev in
        shipped) evaluator=$repo/models/landscape-segmenter.safetensors ;;
        mix) evaluator=$repo/models/landscape-segmenter-mix.safetensors ;;
        *) echo "$ev: unknown evaluator (shipped or mix)" >&2; exit 2 ;;
      esac
      json=$out/$name/$split.$ev.json
      [ -f "$json" ] && continue
      echo "$name: $split, $ev evaluator" >&2
      env -u OPENBLAS_CORETYPE "$bin" eval --model "$model" --data "$data/$split" --evaluator "$evaluator" \
        --precision f32 "${count[@]}" "${extra[@]}" --json "$json" > "$out/$name/$split.$ev.txt" 2> "$out/$name/$split.$ev.err" \
        || { echo "$name: eval failed on $split ($ev), see $out/$name/$split.$ev.err" >&2; exit 1; }
    done
  done
done
