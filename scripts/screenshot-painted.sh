#!/usr/bin/env bash
# Paints a scene by hand in the editor (mouse strokes in a real xterm with sixel
# graphics on a virtual X server, as a person would: palette clicks, filled
# rectangles and ellipses, brush strokes) and takes a screenshot of the result.
# Used for the README's screenshot (docs/images/editor-painted.png).
#
#   scripts/screenshot-painted.sh OUT.png [MODEL] [SEED]
#
# Needs what `make test` installs (xvfb, xterm, xdotool, imagemagick) and a
# release build (.build/release/scenepaint).
set -euo pipefail
out=$(realpath -m "${1:?usage: scripts/screenshot-painted.sh OUT.png [MODEL] [SEED]}")
root=$(cd "$(dirname "$0")/.." && pwd)
model=$(realpath "${2:-$root/models/landscape-lggan.safetensors}")
seed=${3:-1}
bin="$root/.build/release/scenepaint"
work=$(mktemp -d)
display=:$((90 + RANDOM % 9))
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

Xvfb "$display" -screen 0 1200x760x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
export DISPLAY=$display
# The layout is new (a path that does not exist yet): the editor starts it all sky.
xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' -geometry 150x44+0+0 -fa 'DejaVu Sans Mono' -fs 10 \
    -e "TERM=xterm SCENEPAINT_HOME='$root' SCENEPAINT_RECOVERY_DIR='$work/recovery' '$bin' edit '$work/island.png' --size 256x256 --model '$model' 2>'$work/stderr'; echo \$? > '$work/status'" &
sleep 4

# Layout pixel -> screen pixel: the canvas starts at (3, 20) and shows 256x256 at 3/2x in this window.
sx() { echo $((3 + $1 * 3 / 2)); }
sy() { echo $((20 + $1 * 3 / 2)); }
# A palette row (class id) on the right.
pick() { xdotool mousemove 1100 $((28 + 17 * $1)) click 1; sleep 0.3; }
tool() { xdotool key "$1"; sleep 0.2; }
# Drag from layout (x0,y0) to (x1,y1) in a few moves, as a hand would.
drag() {
    xdotool mousemove "$(sx "$1")" "$(sy "$2")" mousedown 1
    for i in 1 2 3 4; do
        xdotool mousemove $(( $(sx "$1") + ($(sx "$3") - $(sx "$1")) * i / 4 )) $(( $(sy "$2") + ($(sy "$4") - $(sy "$2")) * i / 4 ))
        sleep 0.05
    done
    xdotool mouseup 1
    sleep 0.4
}

pick 2;  tool E; drag 120 70 255 160      # a mountain behind the lake
pick 9;  tool R; drag 0 128 255 255       # a lake filling the lower half
pick 10; tool E; drag 30 150 190 222      # an island of sand
pick 5;  tool E; drag 48 154 172 210      # grass on it
pick 6;  tool E; drag 52 112 96 190       # a tree
pick 12; tool R; drag 112 150 146 182     # a red box for a house
pick 8;  tool E; drag 92 188 140 206      # flowers in front of it
pick 4;  tool E; drag 150 186 172 204     # a rock
pick 14; tool R; drag 196 200 236 218     # a boat
pick 1;  tool b; xdotool key bracketright bracketright bracketright bracketright; sleep 0.2
drag 20 40 90 36                          # a cloud
drag 150 24 210 30                        # another
xdotool mousemove 1190 700                # the pointer out of the picture
# Re-roll to the requested seed (n draws the next seed; the first is 1).
for ((i = 1; i < seed; i++)); do xdotool key n; sleep 0.3; done
sleep 6   # the preview follows the last stroke
import -window root "$out"
xdotool key q; sleep 0.3; xdotool key d; sleep 0.5
cat "$work/stderr" "$work/status" 2>/dev/null || true
echo "wrote $out"
