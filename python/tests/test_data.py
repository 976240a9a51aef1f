"""Real dataset layouts, made small here with the real directory structure (no network)."""
import os
import random

import numpy as np
import pytest

# The PyTorch twin: without torch (or safetensors) these tests skip, the ONNX test still runs.
torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")
from PIL import Image

from scenepaint_torch.data import DatasetError, PairDataset, StepBatches, crop_box, detect_format


def save(array, path, **kw):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(array, **kw).save(path)


def photo(w, h, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)


def make_cityscapes(root, w=64, h=32):
    for city, n in (("aachen", 2), ("bochum", 1)):
        for k in range(n):
            stem = f"{city}_00000{k}_000019"
            ids = np.full((h, w), 7, np.uint8)
            ids[:12] = 23
            ids[20, 5] = 255
            save(ids, f"{root}/gtFine/train/{city}/{stem}_gtFine_labelIds.png")
            save(photo(w, h, k), f"{root}/leftImg8bit/train/{city}/{stem}_leftImg8bit.png")
    save(np.zeros((2, 2), np.uint8), f"{root}/gtFine/train/bochum/orphan_gtFine_labelIds.png")


def test_cityscapes_pairs_palette_and_license_plate(tmp_path):
    root = str(tmp_path)
    make_cityscapes(root)
    assert detect_format(root) == "cityscapes"
    d = PairDataset(root)
    assert len(d) == 3 and d.palette.name == "cityscapes" and d.palette.count == 34
    indices, image = d.pair(0)
    assert indices.shape == (32, 64) and image.shape == (32, 64, 3)
    pos = {c.id: i for i, c in enumerate(d.palette.classes)}
    assert indices[0, 0] == pos[23] and indices[20, 5] == pos[0]


def test_non_square_crops_and_deterministic_steps(tmp_path):
    root = str(tmp_path)
    make_cityscapes(root)
    d = PairDataset(root, "cityscapes", "train")
    batches = StepBatches(d, (32, 16), 2, seed=3, rank=0, steps=10)
    step, inp, real = batches[0]
    assert tuple(real.shape) == (2, 3, 16, 32) and tuple(inp.oneHot.shape) == (2, 34, 16, 32)
    assert (batches[0][2] == real).all() and not (batches[1][2] == real).all()
    assert not (StepBatches(d, (32, 16), 2, seed=3, rank=1, steps=10)[0][2] == real).all()
    rng = random.Random(1)
    for _ in range(50):
        x, y, w, h = crop_box(2048, 1024, (512, 256), rng)
        assert w * 256 == h * 512 and 256 <= h <= 1024 and x + w <= 2048 and y + h <= 1024


def test_ade20k_jpeg_and_splits(tmp_path):
    base = tmp_path / "ADEChallengeData2016"
    for split, name in (("training", "ADE_train_00000001"), ("validation", "ADE_val_00000001")):
        ids = np.full((24, 40), 3, np.uint8)
        ids[0] = 0
        save(ids, f"{base}/annotations/{split}/{name}.png")
        save(photo(40, 24, 2), f"{base}/images/{split}/{name}.jpg")
    assert detect_format(str(tmp_path)) == "ade20k"
    train = PairDataset(str(tmp_path), split="train")
    val = PairDataset(str(tmp_path), "ade20k", "validation")
    assert len(train) == len(val) == 1
    indices, image = train.pair(0)
    assert image.shape == (24, 40, 3) and indices[0, 0] == 0 and indices[5, 5] == 3
    assert train.palette.ignore_position == 0


def test_corrupt_jpeg_is_one_line(tmp_path):
    base = tmp_path / "ADEChallengeData2016"
    save(np.ones((4, 4), np.uint8), f"{base}/annotations/training/a.png")
    save(photo(4, 4, 1), f"{base}/images/training/a.jpg")
    data = open(f"{base}/images/training/a.jpg", "rb").read()
    open(f"{base}/images/training/a.jpg", "wb").write(data[: len(data) // 3])
    with pytest.raises(DatasetError) as e:
        PairDataset(str(tmp_path)).pair(0)
    assert str(e.value).startswith(f"{base}/images/training/a.jpg: not a readable image") and "\n" not in str(e.value)


def test_coco_stuff_layout_and_unknown_ids(tmp_path):
    ids = np.full((16, 16), 255, np.uint8)
    ids[:8] = 156
    save(ids, f"{tmp_path}/annotations/train2017/000000000009.png")
    save(photo(16, 16, 4), f"{tmp_path}/images/train2017/000000000009.jpg")
    ids[0, 3] = 200
    save(ids, f"{tmp_path}/annotations/val2017/000000000001.png")
    save(photo(16, 16, 5), f"{tmp_path}/images/val2017/000000000001.jpg")
    assert detect_format(str(tmp_path)) == "coco-stuff"
    train = PairDataset(str(tmp_path))
    assert train.palette.name == "coco-stuff"
    with pytest.raises(ValueError, match=r"pixel \(3, 0\) has class id 200"):
        PairDataset(str(tmp_path), split="val").pair(0)


def test_unknown_directory_is_named(tmp_path):
    with pytest.raises(DatasetError, match="not a dataset directory"):
        detect_format(str(tmp_path))
