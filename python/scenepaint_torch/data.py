"""Datasets: scenepaint's own pair directory (layouts/ + images/, as `scenepaint
dataset synth` writes it) and the real layouts of Cityscapes, ADE20K and
COCO-Stuff, with the same detection order and pairing rules as the Swift side (Sources/Datasets: LayoutsImagesSource,
CityscapesSource, ADE20KSource, COCOStuffSource);
random crops of any aspect (Cityscapes trains at 512x256) and flips."""
from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np
from PIL import Image

from .palette import Palette
from .semantic_input import SemanticInput

FORMATS = ("paired", "cityscapes", "ade20k", "coco-stuff")
SPLIT_ALIASES = {
    "cityscapes": {"training": "train", "validation": "val"},
    "ade20k": {"train": "training", "val": "validation"},
    "coco-stuff": {"train": "train2017", "val": "val2017", "training": "train2017", "validation": "val2017"},
}
DEFAULT_SPLIT = {"cityscapes": "train", "ade20k": "training", "coco-stuff": "train2017", "paired": ""}


class DatasetError(ValueError):
    pass


def _listdir(path: str) -> List[str]:
    try:
        return sorted(n for n in os.listdir(path) if not n.startswith("."))
    except OSError:
        return []


def detect_format(root: str) -> str:
    """Which layout a directory has (the same rules as Swift's DatasetFormat.detect)."""
    has = lambda *p: os.path.isdir(os.path.join(root, *p))
    if has("layouts"):
        return "paired"
    if has("gtFine") and has("leftImg8bit"):
        return "cityscapes"
    if has("ADEChallengeData2016") or (has("images", "training") and has("annotations", "training")):
        return "ade20k"
    if has("images") and (any(n.endswith("2017") for n in _listdir(os.path.join(root, "annotations")))
                          or has("stuffthingmaps_trainval2017")):
        return "coco-stuff"
    raise DatasetError(f"{root}: not a dataset directory scenepaint knows (expected layouts/+images/, "
                       f"gtFine/+leftImg8bit/ (Cityscapes), ADEChallengeData2016/ (ADE20K) or "
                       f"images/+annotations/ (COCO-Stuff))")


@dataclass
class Pair:
    layout: str
    image: str


def list_pairs(root: str, fmt: str, split: Optional[str] = None) -> List[Pair]:
    split = split or DEFAULT_SPLIT[fmt]
    split = SPLIT_ALIASES.get(fmt, {}).get(split, split)
    pairs: List[Pair] = []
    if fmt == "paired":
        manifest = os.path.join(root, "manifest.json")
        if os.path.exists(manifest):
            with open(manifest, encoding="utf-8") as f:
                if json.load(f).get("complete") is False:
                    raise DatasetError(f"{root}: manifest.json says the dataset is incomplete (synthesis still running "
                                       f"or stopped): run the same `scenepaint dataset synth` again to finish it")
        layouts = set(n for n in _listdir(os.path.join(root, "layouts")) if n.endswith(".png"))
        images = set(_listdir(os.path.join(root, "images")))
        pairs = [Pair(os.path.join(root, "layouts", n), os.path.join(root, "images", n)) for n in sorted(layouts & images)]
        missing = "layouts/X.png with a matching images/X.png"
    elif fmt == "cityscapes":
        label_dir = os.path.join(root, "gtFine", split)
        suffix = "_gtFine_labelIds.png"
        for city in _listdir(label_dir):
            for name in _listdir(os.path.join(label_dir, city)):
                if name.endswith(suffix):
                    image = os.path.join(root, "leftImg8bit", split, city, name[: -len(suffix)] + "_leftImg8bit.png")
                    if os.path.exists(image):
                        pairs.append(Pair(os.path.join(label_dir, city, name), image))
        missing = f"gtFine/{split}/CITY/*{suffix} with leftImg8bit/{split}/CITY/*_leftImg8bit.png"
    elif fmt == "ade20k":
        base = os.path.join(root, "ADEChallengeData2016") if os.path.isdir(os.path.join(root, "ADEChallengeData2016")) else root
        pairs = _pairs_by_stem(os.path.join(base, "annotations", split), os.path.join(base, "images", split))
        missing = f"ADEChallengeData2016/annotations/{split}/X.png with images/{split}/X.jpg"
    elif fmt == "coco-stuff":
        labels = os.path.join(root, "annotations", split)
        if not os.path.isdir(labels):
            labels = os.path.join(root, "stuffthingmaps_trainval2017", split)
        pairs = _pairs_by_stem(labels, os.path.join(root, "images", split))
        missing = f"annotations/{split}/X.png with images/{split}/X.jpg"
    else:
        raise DatasetError(f"unknown dataset format '{fmt}' (known: {', '.join(FORMATS)})")
    if not pairs:
        raise DatasetError(f"{root}: no {fmt} pairs ({missing})")
    return pairs


def _pairs_by_stem(label_dir: str, image_dir: str) -> List[Pair]:
    images = {os.path.splitext(n)[0]: n for n in _listdir(image_dir) if n.lower().endswith((".jpg", ".jpeg", ".png"))}
    out = []
    for name in _listdir(label_dir):
        stem, ext = os.path.splitext(name)
        if ext == ".png" and stem in images:
            out.append(Pair(os.path.join(label_dir, name), os.path.join(image_dir, images[stem])))
    return out


def dataset_palette(root: str, fmt: str, explicit: Optional[str] = None) -> Palette:
    if explicit:
        return Palette.load(explicit)
    if fmt in ("cityscapes", "ade20k", "coco-stuff"):
        return Palette.load(fmt)
    manifest = os.path.join(root, "manifest.json")
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as f:
            m = json.load(f)
        if m.get("classes"):
            return Palette.from_dict({"name": m.get("palette") or "dataset", "classes": m["classes"]}, manifest)
        if m.get("palette"):
            return Palette.load(m["palette"])
    raise DatasetError(f"{root}: no manifest.json naming a palette; pass --palette")


def read_label_ids(path: str, palette: Palette, fmt: str) -> np.ndarray:
    """Class ids of a layout PNG: indexed or grey PNGs hold ids; colour PNGs are mapped through the palette."""
    try:
        with Image.open(path) as im:
            im.load()
            mode = im.mode
            array = np.array(im)
    except (OSError, ValueError) as error:
        raise DatasetError(f"{path}: not a readable PNG ({error})") from None
    if mode in ("P", "L", "I", "I;16"):
        ids = array.astype(np.int64)
    elif mode in ("RGB", "RGBA"):
        rgb = array[..., :3].astype(np.int64)
        key = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
        lookup = {(c.color[0] << 16) | (c.color[1] << 8) | c.color[2]: c.id for c in palette.classes}
        ids = np.full(key.shape, -1, dtype=np.int64)
        for k, v in lookup.items():
            ids[key == k] = v
        if (ids < 0).any():
            y, x = np.argwhere(ids < 0)[0]
            raise DatasetError(f"{path}: pixel ({x}, {y}) has a colour that palette {palette.name} does not have")
    else:
        raise DatasetError(f"{path}: PNG mode {mode} is not a layout (indexed, grey or RGB)")
    if fmt == "cityscapes":
        # cityscapesScripts' 'license plate' has id -1, which an 8-bit labelIds PNG stores as 255: void, like 0.
        ids[ids == 255] = 0
    if ids.max(initial=0) > 255:
        raise DatasetError(f"{path}: class ids above 255")
    return ids


def read_image(path: str) -> np.ndarray:
    try:
        with Image.open(path) as im:
            return np.array(im.convert("RGB"))
    except (OSError, ValueError) as error:
        raise DatasetError(f"{path}: not a readable image ({error})") from None


def crop_box(width: int, height: int, size: Tuple[int, int], rng: random.Random) -> Tuple[int, int, int, int]:
    """A random crop of the training aspect (tw:th), its height between th (scale 1) and the
    largest that fits (the whole scene, downscaled): Swift's TrainingAugmentation.crop rule."""
    tw, th = size
    fit_h = min(height, (width * th) // tw)
    low = min(th, fit_h)
    ch = low + rng.randrange(fit_h - low + 1)
    cw = max(1, min(width, (ch * tw) // th))
    return rng.randrange(width - cw + 1), rng.randrange(height - ch + 1), cw, ch


def box_resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Box-filter down (nearest up) resize of an [H, W, 3] uint8 image, as Swift's RGBImage.resized."""
    h, w = image.shape[:2]
    if (w, h) == (width, height):
        return image
    ys = [(y * h) // height for y in range(height + 1)]
    xs = [(x * w) // width for x in range(width + 1)]
    integral = np.zeros((h + 1, w + 1, 3), dtype=np.int64)
    integral[1:, 1:] = image.astype(np.int64).cumsum(0).cumsum(1)
    y0 = np.array(ys[:-1]); y1 = np.maximum(y0 + 1, np.array(ys[1:])).clip(max=h)
    x0 = np.array(xs[:-1]); x1 = np.maximum(x0 + 1, np.array(xs[1:])).clip(max=w)
    s = (integral[y1][:, x1] - integral[y0][:, x1] - integral[y1][:, x0] + integral[y0][:, x0])
    n = ((y1 - y0)[:, None] * (x1 - x0)[None, :])[..., None]
    return (s // n).astype(np.uint8)


def nearest_resize(ids: np.ndarray, width: int, height: int) -> np.ndarray:
    h, w = ids.shape
    rows = np.minimum(h - 1, (np.arange(height) * h) // height)
    cols = np.minimum(w - 1, (np.arange(width) * w) // width)
    return ids[rows][:, cols]


class PairDataset:
    """Layout/image pairs of any supported format, as palette positions and images in -1...1."""

    def __init__(self, root: str, fmt: Optional[str] = None, split: Optional[str] = None, palette: Optional[str] = None):
        self.root = root
        self.format = fmt or detect_format(root)
        if self.format not in FORMATS:
            raise DatasetError(f"unknown dataset format '{self.format}' (known: {', '.join(FORMATS)})")
        self.pairs = list_pairs(root, self.format, split)
        self.palette = dataset_palette(root, self.format, palette)

    def __len__(self):
        return len(self.pairs)

    def pair(self, index: int) -> Tuple[np.ndarray, np.ndarray]:
        p = self.pairs[index]
        ids = read_label_ids(p.layout, self.palette, self.format)
        image = read_image(p.image)
        if ids.shape != image.shape[:2]:
            raise DatasetError(f"{p.image}: image is {image.shape[1]}x{image.shape[0]} but its layout is "
                               f"{ids.shape[1]}x{ids.shape[0]}")
        return SemanticInput.indices_of(ids, self.palette, p.layout), image

    def training_example(self, index: int, size: Tuple[int, int], rng: random.Random):
        indices, image = self.pair(index)
        h, w = indices.shape
        x0, y0, cw, ch = crop_box(w, h, size, rng)
        flip = rng.random() < 0.5
        indices = indices[y0:y0 + ch, x0:x0 + cw]
        image = image[y0:y0 + ch, x0:x0 + cw]
        if flip:
            indices, image = indices[:, ::-1], image[:, ::-1]
        return nearest_resize(np.ascontiguousarray(indices), *size), box_resize(np.ascontiguousarray(image), *size)


class StepBatches:
    """Map-style dataset whose item `step` is this rank's batch of that step: a pure
    function of (seed, step, rank), so a resumed or re-sharded run sees the same data."""

    def __init__(self, dataset: PairDataset, size: Tuple[int, int], batch: int, seed: int, rank: int, steps: int):
        self.dataset, self.size, self.batch, self.seed, self.rank, self.steps = dataset, size, batch, seed, rank, steps

    def __len__(self):
        return self.steps

    def __getitem__(self, step: int):
        import torch
        rng = random.Random(hash((self.seed, step, self.rank, 3)))
        indices, images = [], []
        for _ in range(self.batch):
            i, im = self.dataset.training_example(rng.randrange(len(self.dataset)), self.size, rng)
            indices.append(i)
            images.append(im)
        real = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float() / 127.5 - 1
        return step, SemanticInput(np.stack(indices), self.dataset.palette.count), real
