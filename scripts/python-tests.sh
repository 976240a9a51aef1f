#!/usr/bin/env bash
# Runs python/tests (the ONNX export test, the PyTorch twin's tests) with the binary $1.
# Python: $2 if given (e.g. make test PYTHON=/work/venv-torch/bin/python), else the
# git-ignored venv .venv-test, created and filled with pip on first use: onnx,
# onnxruntime, numpy, pillow, safetensors, pytest (and with TORCH=1 the CPU wheel of
# torch). Without pip or network it says so and skips.
set -uo pipefail
binary="$1"
python="${2:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-test"
core=(onnx onnxruntime numpy pillow safetensors pytest)

if [ -z "$python" ]; then
    python="$venv/bin/python"
    if ! "$python" -c 'import onnx, onnxruntime, numpy, PIL, safetensors, pytest' 2>/dev/null; then
        echo "scenepaint: setting up $venv for python/tests (pip: ${core[*]})"
        if ! python3 -m venv "$venv"; then
            echo "python/tests skipped: python3 -m venv failed (install python3-venv; scripts/install-deps.sh --test does)"; exit 0
        fi
        if ! "$venv/bin/pip" install -q --disable-pip-version-check "${core[@]}"; then
            echo "python/tests skipped: pip could not install ${core[*]} (no network?). The Swift tests ran above."; exit 0
        fi
    fi
    # The PyTorch twin's tests need torch: opt-in (TORCH=1), because the CPU wheel comes from
    # download.pytorch.org, which this project's build machine cannot reach; its tests skip without it.
    if [ "${TORCH:-0}" = 1 ] && ! "$python" -c 'import torch' 2>/dev/null; then
        "$venv/bin/pip" install -q --disable-pip-version-check --retries 1 --timeout 30 \
            --index-url https://download.pytorch.org/whl/cpu torch \
            || echo "scenepaint: torch (CPU) did not install; the PyTorch twin's tests will skip, the ONNX test runs"
    fi
fi
if ! "$python" -c 'import pytest' 2>/dev/null; then
    echo "python/tests skipped: $python lacks pytest"; exit 0
fi
cd "$root/python" && SCENEPAINT_BIN="$binary" "$python" -m pytest -q -rs tests
