#!/usr/bin/env bash
# Installs the Debian packages scenepaint needs, only those that are missing.
# Used by `make run` and `make test`; safe to run repeatedly.
set -euo pipefail
packages=(pkg-config libncursesw5-dev libopenblas-dev libdnnl-dev libpng-dev libjpeg62-turbo-dev libsixel-dev libsixel-bin libchafa-dev libglib2.0-dev tmux)
# --test: also the real terminals the end-to-end tests drive on a virtual X
# server (xterm, kitty with software GL), screenshots and keys; Python and its
# venv module for python/tests (scripts/python-tests.sh pip-installs the rest).
if [ "${1:-}" = "--test" ]; then
    packages+=(xvfb xterm kitty imagemagick xdotool x11-apps fonts-dejavu-core libgl1-mesa-dri python3 python3-venv python3-pip time)
fi
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "scenepaint: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "scenepaint: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
