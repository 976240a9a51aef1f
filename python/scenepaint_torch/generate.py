"""Writes every view of a layout from a scenepaint model file, as `scenepaint generate --all-views`:

    python -m scenepaint_torch.generate --model RUN/model.safetensors LAYOUT.png --all-views DIR
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
from PIL import Image

from .data import DatasetError, read_label_ids
from .model_file import ModelFileError, read_model
from .semantic_input import LayoutMismatchError, SemanticInput
from .views import generate_views, rgb_bytes


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="scenepaint_torch.generate", description=__doc__.split("\n\n")[0])
    p.add_argument("layout")
    p.add_argument("--model", required=True)
    p.add_argument("--all-views", required=True, metavar="DIR")
    p.add_argument("--device", default="cpu")
    args = p.parse_args(argv)
    try:
        network, palette, _ = read_model(args.model, args.device)
        ids = read_label_ids(args.layout, palette, "paired")
        indices = SemanticInput.indices_of(ids, palette, args.layout)
    except (ModelFileError, DatasetError, LayoutMismatchError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    os.makedirs(args.all_views, exist_ok=True)
    views = generate_views(network, palette, indices)
    for name, t in views.items():
        if name == "weights":
            continue
        Image.fromarray(rgb_bytes(t)).save(os.path.join(args.all_views, name + ".png"))
    print(f"wrote {len(views)} views to {args.all_views}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
