#!/usr/bin/env python3
"""Texture inside large regions: real renders against generated images.

A deterministic convolutional generator paints the interior of a uniform region
(farther from any edge than half its receptive field) with one value: a flat slab.
This measures it: the mean per-channel standard deviation of 16x16 windows that
lie wholly inside one class, in the dataset's real images and in generated ones.

  scripts/region-texture.py DATA GENERATED COUNT [PALETTE_JSON]

DATA: a `scenepaint dataset synth` split (layouts/, images/); GENERATED: a
directory with an image of the same name for each of the first COUNT layouts
(e.g. from `scenepaint generate DATA/layouts/N.png -o GENERATED/N.png`).
Prints a Markdown table: class, windows, real std, generated std, ratio
(classes with at least 10 windows). Needs numpy and Pillow (.venv-test has them).
"""
import json
import os
import sys

import numpy as np
from PIL import Image

WINDOW = 16


def main() -> int:
    if len(sys.argv) not in (4, 5):
        print("usage: scripts/region-texture.py DATA GENERATED COUNT [PALETTE_JSON]", file=sys.stderr)
        return 2
    data, generated, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    palette_path = sys.argv[4] if len(sys.argv) == 5 else os.path.join(root, "palettes", "landscape.json")
    classes = json.load(open(palette_path))["classes"]
    colour_to_name = {tuple(c["color"]): c["name"] for c in classes}
    stats: dict[str, tuple[list[float], list[float]]] = {}
    for i in range(count):
        name = f"{i:06d}.png"
        layout = np.asarray(Image.open(os.path.join(data, "layouts", name)).convert("RGB"))
        real = np.asarray(Image.open(os.path.join(data, "images", name)).convert("RGB"), dtype=np.float64)
        fake = np.asarray(Image.open(os.path.join(generated, name)).convert("RGB"), dtype=np.float64)
        if fake.shape != real.shape:
            print(f"{generated}/{name}: {fake.shape[1]}x{fake.shape[0]}, the real image is {real.shape[1]}x{real.shape[0]}",
                  file=sys.stderr)
            return 1
        labels = np.full(layout.shape[:2], -1)
        names = []
        for colour, class_name in colour_to_name.items():
            labels[(layout == colour).all(-1)] = len(names)
            names.append(class_name)
        height, width = labels.shape
        for y in range(0, height - WINDOW + 1, WINDOW):
            for x in range(0, width - WINDOW + 1, WINDOW):
                window = labels[y:y + WINDOW, x:x + WINDOW]
                k = window[0, 0]
                if k < 0 or not (window == k).all():
                    continue
                real_std, fake_std = stats.setdefault(names[k], ([], []))
                real_std.append(real[y:y + WINDOW, x:x + WINDOW].std(axis=(0, 1)).mean())
                fake_std.append(fake[y:y + WINDOW, x:x + WINDOW].std(axis=(0, 1)).mean())
    print("| class | windows | real std | generated std | ratio |")
    print("|---|--:|--:|--:|--:|")
    for class_name, (real_std, fake_std) in sorted(stats.items()):
        if len(real_std) < 10:
            continue
        r, f = float(np.mean(real_std)), float(np.mean(fake_std))
        print(f"| {class_name} | {len(real_std)} | {r:.1f} | {f:.1f} | {f / r if r > 0 else float('nan'):.2f} |")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError) as error:  # a missing or unreadable file, a bad COUNT
        where = getattr(error, "filename", None)
        print(f"region-texture: {where + ': ' if where else ''}{getattr(error, 'strerror', None) or error}", file=sys.stderr)
        sys.exit(1)
