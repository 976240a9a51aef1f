"""A batch of layouts ready for the network (Sources/Models/SemanticInput.swift):
palette positions (-1 = don't care), the one-hot map [N, c, H, W] and each image's
present classes with the bounding boxes the sparse local generation needs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List

import numpy as np
import torch

from .palette import Palette


class LayoutMismatchError(ValueError):
    pass


@dataclass(frozen=True)
class ClassRegion:
    classIndex: int
    top: int
    bottom: int
    left: int
    right: int
    pixelCount: int


def regions_of(indices: np.ndarray, class_count: int) -> List[ClassRegion]:
    """Present classes of one [H, W] index map, ascending, with their bounding boxes."""
    out = []
    counts = np.bincount(indices[indices >= 0].ravel(), minlength=class_count)
    for k in np.flatnonzero(counts[:class_count]):
        mask = indices == k
        rows = np.flatnonzero(mask.any(axis=1))
        cols = np.flatnonzero(mask.any(axis=0))
        out.append(ClassRegion(int(k), int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1, int(counts[k])))
    return out


class SemanticInput:
    def __init__(self, indices, class_count: int, device=None):
        """indices: [N, H, W] palette positions (numpy or tensor), -1 where no class applies."""
        array = indices.cpu().numpy() if isinstance(indices, torch.Tensor) else np.asarray(indices)
        if array.ndim == 2:
            array = array[None]
        self.indices_np = array.astype(np.int64)
        self.batch, self.height, self.width = self.indices_np.shape
        self.classCount = class_count
        self.regions = [regions_of(self.indices_np[n], class_count) for n in range(self.batch)]
        labels = torch.from_numpy(self.indices_np)
        one_hot = torch.zeros(self.batch, class_count + 1, self.height, self.width)
        one_hot.scatter_(1, (labels.clamp(min=-1) % (class_count + 1)).unsqueeze(1), 1.0)
        # Index -1 went to the extra last channel; dropping it leaves an all-zero pixel.
        self.oneHot = one_hot[:, :class_count].contiguous()
        if device is not None:
            self.oneHot = self.oneHot.to(device)

    def to(self, device) -> "SemanticInput":
        self.oneHot = self.oneHot.to(device)
        return self

    @staticmethod
    def indices_of(ids: np.ndarray, palette: Palette, where: str = "layout") -> np.ndarray:
        """Palette positions of label ids; ids outside the palette are an error, the ignore id maps to -1."""
        table = np.array(palette.index_table(), dtype=np.int64)
        out = table[ids.astype(np.int64)]
        bad = np.argwhere(out == -2)
        if len(bad):
            y, x = bad[0][-2], bad[0][-1]
            raise LayoutMismatchError(f"{where}: pixel ({x}, {y}) has class id {ids[tuple(bad[0])]}, "
                                      f"which palette {palette.name} does not have")
        return out

    def one_hot_downsampled(self, factor: int) -> torch.Tensor:
        """Nearest one-hot at 1/factor (PyTorch's and Swift's 'nearest' rule: source = dst * factor)."""
        return self.oneHot if factor == 1 else self.oneHot[:, :, ::factor, ::factor]

    def presence(self, n: int) -> List[bool]:
        present = [False] * self.classCount
        for r in self.regions[n]:
            present[r.classIndex] = True
        return present
