"""The generator's views as scenepaint shows them (Sources/Models/LGGANGenerator.swift,
TensorImages.swift), and layouts of any size padded to the model's multiple."""
from __future__ import annotations

from typing import Dict

import numpy as np
import torch

from .model import LGGANNetwork
from .palette import Palette
from .semantic_input import SemanticInput


def pad_by_repeating_edges(indices: np.ndarray, multiple: int) -> np.ndarray:
    h, w = indices.shape
    ph, pw = -(-h // multiple) * multiple, -(-w // multiple) * multiple
    return np.pad(indices, ((0, ph - h), (0, pw - w)), mode="edge")


def rgb_bytes(x: torch.Tensor) -> np.ndarray:
    """[3, H, W] in -1...1 to [H, W, 3] uint8 exactly as TensorImages.rgbImage: v*127.5+128, clamped, truncated."""
    v = x.detach().float().cpu().numpy() * np.float32(127.5) + np.float32(128)
    v = np.nan_to_num(v, nan=0.0)
    return np.clip(v, 0, np.float32(255.99)).astype(np.uint8).transpose(1, 2, 0)


@torch.no_grad()
def generate_views(network: LGGANNetwork, palette: Palette, indices: np.ndarray, noise=None) -> Dict[str, torch.Tensor]:
    """Float views of one layout (palette positions [H, W]), cropped back to its size:
    fused, global, local [3, H, W]; weights [2, H, W]; class-NAME [3, H, W] per present class."""
    h, w = indices.shape
    padded = pad_by_repeating_edges(indices, network.config.sizeMultiple)
    device = next(network.parameters()).device
    inp = SemanticInput(padded[None], palette.count, device)
    network.eval()
    out = network(inp, noise)
    views = {}
    for name in ("fused", "global", "local", "weights"):
        if out[name] is not None:
            views[name] = out[name][0, :, :h, :w].float().cpu()
    if out["classImages"] is not None:
        for k in sorted(set(int(i) for i in np.unique(indices) if i >= 0)):
            views["class-" + palette.classes[k].name] = out["classImages"][0, 3 * k:3 * k + 3, :h, :w].float().cpu()
    return views
