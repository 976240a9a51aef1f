#!/bin/bash
# Key-to-screen in real terminals (docs/benchmarks.md#the-canvas-as-an-image-issue-16-24-nov-0635-0645).
# Run inside: xvfb-run -a -s "-screen 0 1200x760x24" scripts/bench-terminal-keys.sh NEWBIN OLDBIN OUTDIR ROUND
# 60 brush dabs (Right, space) 150 ms apart on samples/lake.png, stand-in generator, --trace.
NEW=$1; OLD=$2; OUT=$3; R=$4; S=$(cd "$(dirname "$0")/.." && pwd)/samples/lake.png
export SCENEPAINT_HOME=$(dirname "$S")/..
unset COLORTERM
run() {  # name, terminal command...
  local name=$1; shift
  export SCENEPAINT_RECOVERY_DIR=$OUT/recovery-$name-$R  # fresh: no recovery offer eats the keys
  cat /proc/loadavg > $OUT/$name-$R.load
  "$@" &
  local pid=$!
  # wait for the first preview image to be written (trace line "emit"), at most 60 s
  for i in $(seq 600); do grep -q '^emit' $OUT/$name-$R.trace 2>/dev/null && break; sleep 0.1; done
  sleep 1
  xdotool mousemove 300 200; xdotool type ']]]'
  for i in $(seq 60); do xdotool key Right space; sleep 0.15; done
  sleep 1; xdotool type qd; sleep 1
  cat /proc/loadavg >> $OUT/$name-$R.load
  wait $pid
}
XT="-geometry 140x34+0+0 -fa DejaVuSansMono -fs 10"
run old-xterm-sixel xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' $XT -e "TERM=xterm $OLD edit $S --model none --trace $OUT/old-xterm-sixel-$R.trace"
run xterm-sixel xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' $XT -e "TERM=xterm $NEW edit $S --model none --trace $OUT/xterm-sixel-$R.trace"
run xterm-symbols xterm $XT -e "TERM=xterm $NEW edit $S --model none --trace $OUT/xterm-symbols-$R.trace"
run kitty env LIBGL_ALWAYS_SOFTWARE=1 kitty --config NONE -o font_size=10 -o remember_window_size=no -o initial_window_width=1200 -o initial_window_height=700 sh -c "$NEW edit $S --model none --trace $OUT/kitty-$R.trace"
