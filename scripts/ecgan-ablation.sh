#!/usr/bin/env bash
# The ECGAN ablation B1..B8 (paper Table VI) at a small budget, as docs/ecgan.md
# describes: every row trained with the same data, steps and seeds, then scored
# by the shipped evaluator on the test split. Resumable: a row whose run holds a
# checkpoint continues it; a row already scored is skipped.
#
#   scripts/ecgan-ablation.sh DATA LABEL_NET OUT [STEPS] [SEEDS...]
#   e.g. nice -n 10 scripts/ecgan-ablation.sh /work/data/landscapes-mix/train \
#            /work/runs/ecgan/labelnet/segmenter.safetensors /work/runs/ecgan-ablation 2000 1 2
#   TRAIN_ARGS="--threads 1" passes extra flags to every row's training (e.g. one thread
#   beside another training; the rows must all get the same ones).
set -euo pipefail
data=$1 label=$2 out=$3 steps=${4:-2000}
shift $(( $# < 4 ? $# : 4 ))
seeds=("${@:-1 2}")
[ ${#seeds[@]} -eq 1 ] && read -r -a seeds <<< "${seeds[0]}"
bin=${SCENEPAINT_BIN:-scenepaint}
test_split=${TEST_SPLIT:-/work/data/landscapes/test}
read -r -a train_args <<< "${TRAIN_ARGS:-}"
declare -A rows=(
  [B1]="--no-edge --no-semantic-preserving --no-similarity --no-contrastive"
  [B2]="--no-feature-transfer --no-content-transfer --no-semantic-preserving --no-similarity --no-contrastive"
  [B3]="--no-semantic-preserving --no-similarity --no-contrastive"
  [B4]="--no-similarity --no-contrastive"
  [B5]="--no-contrastive"
  [B6]=""
  [B7]="--multi-scale"
  [B8]="--multi-scale --cross-scale"
)
mkdir -p "$out"
for row in B1 B2 B3 B4 B5 B6 B7 B8; do
  for seed in "${seeds[@]}"; do
    run="$out/$row-seed$seed"
    [ -f "$run/eval.json" ] && continue
    resume=(); [ -f "$run/checkpoint.safetensors" ] && resume=(--resume)
    # shellcheck disable=SC2086
    env -u OPENBLAS_CORETYPE "$bin" train ecgan --data "$data" --out "$run" --label-network "$label" \
      --steps "$steps" --seed "$seed" --sample-every "$steps" ${rows[$row]} "${train_args[@]}" "${resume[@]}"
    env -u OPENBLAS_CORETYPE "$bin" eval --model "$run/model.safetensors" --data "$test_split" --json "$run/eval.json" \
      > "$run/eval.txt"
  done
done
echo "row seed mIoU accuracy" && for f in "$out"/*/eval.json; do
  python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['generated']; print(sys.argv[1].split('/')[-2], d.get('miou'), d.get('pixel_accuracy', d.get('pixelAccuracy')))" "$f" || true
done
