#!/usr/bin/env bash
# A side-by-side sheet of models on the layouts a person paints: samples/lake.png and
# the hand-painted layouts of samples/painted/, one row each: layout | model 1 | model 2 ...
# (the fused view at 192x192, seed 1, f32, so sheets made on other CPUs match).
#
#   scripts/compare-models.sh OUT.png MODEL... 
#   e.g. scripts/compare-models.sh /tmp/sheet.png models/landscape-lggan.safetensors RUN/models/step-018000.safetensors
#
# Needs ImageMagick's montage (`make test` installs it) and a release build.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUT.png MODEL..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1"); shift
bin=${SCENEPAINT_BIN:-$root/.build/release/scenepaint}
command -v montage >/dev/null || { echo "montage not found: install imagemagick (make test does)" >&2; exit 2; }
for m in "$@"; do [ -f "$m" ] || { echo "$m: no such model file" >&2; exit 2; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tiles=()
for layout in "$root/samples/lake.png" "$root"/samples/painted/*.png; do
  name=$(basename "$layout" .png)
  # The layout itself, scaled like the generated images (nearest: class borders stay sharp).
  convert "$layout" -filter point -resize 192x192! "$work/$name-layout.png"
  tiles+=("$work/$name-layout.png")
  i=0
  for model in "$@"; do
    i=$((i + 1))
    env -u OPENBLAS_CORETYPE "$bin" generate "$layout" --model "$model" --size 192x192 --seed 1 \
      --precision f32 --view fused -o "$work/$name-$i.png" > /dev/null 2> "$work/err" \
      || { echo "$model on $layout: $(tail -1 "$work/err")" >&2; exit 1; }
    tiles+=("$work/$name-$i.png")
  done
done
montage "${tiles[@]}" -tile "$(( $# + 1 ))x" -geometry +2+2 -background white "$out"
echo "wrote $out: layout | $(for m in "$@"; do printf '%s | ' "$(basename "$m")"; done | sed 's/ | $//')"
