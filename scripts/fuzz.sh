#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/ (-sanitize=fuzzer,address, scratch
# path .build-fuzz) and runs each one on its committed seed corpus.
#   scripts/fuzz.sh                 30 s per harness (what `make fuzz` runs)
#   scripts/fuzz.sh 600 layout      10 minutes of the layout harness only
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 0 palette   a fixed number of executions
# New interesting inputs go to .build-fuzz/corpus/HARNESS (not committed); a
# crashing input is written to .build-fuzz/findings/HARNESS/ and the script
# exits 1. See docs/reliability.md.
set -euo pipefail
seconds=${1:-30}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(layout safetensors palette modelfile)
root=$(cd "$(dirname "$0")/.." && pwd)
# SwiftPM passes --sanitize values to swiftc as separate -sanitize= flags, and
# swiftc keeps only the last one (coverage instrumentation would be lost), so
# the combined flag is given again for the Swift modules.
build=(swift build -c release --package-path "$root/Fuzz" --scratch-path "$root/.build-fuzz"
       --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
"${build[@]}"
bin=$("${build[@]}" --show-bin-path)
status=0
for harness in "${harnesses[@]}"; do
    corpus="$root/.build-fuzz/corpus/$harness"
    findings="$root/.build-fuzz/findings/$harness"
    mkdir -p "$corpus" "$findings"
    limit=(-max_total_time="$seconds")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    echo "fuzz-$harness: ${FUZZ_RUNS:+$FUZZ_RUNS runs}${FUZZ_RUNS:-$seconds s}"
    # Inputs up to 64 KiB (a small model file), 2 GiB of memory, 10 s per input.
    log="$root/.build-fuzz/fuzz-$harness.log"
    set +e
    "$bin/fuzz-$harness" "$corpus" "$root/Fuzz/Corpus/$harness" "${limit[@]}" \
        -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$findings/" >"$log" 2>&1
    code=$?
    set -e
    grep -E "^(stat::|Done|INFO: seed corpus)|ERROR|SUMMARY|fuzz finding|Fatal error" "$log" || true
    if [ $code -ne 0 ]; then
        echo "fuzz-$harness: FINDING (exit $code), input in $findings, log $log" >&2
        status=1
    fi
done
exit $status
