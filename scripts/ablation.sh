#!/usr/bin/env bash
# LGGAN ablation S1..S5 (docs/ablation.md): the same data, size, batch, steps and seed for
# every setting, only the flags differ; each model is then scored by the shipped evaluator.
#   OUT=runs/ablation-seed1 SEED=1 scripts/ablation.sh     (resumable: run it again after a kill)
#   python3 scripts/ablation-table.py runs/ablation-seed1 runs/ablation-seed2 ...
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/scenepaint}
D=${DATA:-/work/data/landscapes}
OUT=${OUT:?set OUT to the run directory}
STEPS=${STEPS:-3000}
EVALUATOR=${EVALUATOR:-models/landscape-segmenter.safetensors}
mkdir -p "$OUT"
common="--data $D/train --sample-data $D/test --size 64 --batch 4 --steps $STEPS --seed ${SEED:-1} --checkpoint-every 250 --sample-every 1000"
declare -A flags=(
  [s1]="--no-local --no-classification --no-weight-map"
  [s2]="--fusion sum --no-classification --no-weight-map"
  [s3]="--fusion conv --no-classification --no-weight-map"
  [s4]="--fusion conv --no-weight-map"
  [s5]=""
)
# env -u: this machine's environment forces OpenBLAS's Haswell kernels (scenepaint respects a
# user's setting); unset, OpenBLAS picks the faster ones for the CPU.
for s in ${ABLATIONS:-s1 s2 s3 s4 s5}; do
  start=$(date +%s)
  resume=""; [ -f "$OUT/$s/checkpoint.safetensors" ] && resume="--resume"
  nice -n 10 env -u OPENBLAS_CORETYPE "$BIN" train lggan $common --out "$OUT/$s" ${flags[$s]} $resume > "$OUT/$s.train.log" 2>&1
  echo "$s train exit $? seconds $(( $(date +%s) - start ))" >> "$OUT/times.txt"
  start=$(date +%s)
  nice -n 10 env -u OPENBLAS_CORETYPE "$BIN" eval --model "$OUT/$s/model.safetensors" --data "$D/test" --size 64 --branches \
      --evaluator "$EVALUATOR" --json "$OUT/$s.eval.json" > "$OUT/$s.eval.txt" 2>/dev/null
  echo "$s eval exit $? seconds $(( $(date +%s) - start ))" >> "$OUT/times.txt"
done
