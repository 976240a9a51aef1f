"""Regenerates the parity fixture (Tests/Fixtures/parity/): small LGGANs with random
(not trained, but far from the 0.02 init so every layer matters) weights, a layout, and
every view's output computed here. The Swift test (Tests/ModelsTests/ParityFixtureTests)
runs its own forward on the same weights and layout and compares.

    python -m scenepaint_torch.fixture Tests/Fixtures/parity
"""
from __future__ import annotations

import os
import sys

import numpy as np
import torch
from safetensors.torch import save

from .config import LGGANConfig
from .model import LGGANNetwork
from .model_file import atomic_write, write_model
from .palette import Palette
from .views import generate_views

PALETTE = Palette.from_dict({
    "name": "parity", "ignore": 255, "description": "five classes for the Swift/PyTorch parity fixture",
    "classes": [{"id": 0, "name": "sky", "color": [110, 170, 235]}, {"id": 1, "name": "grass", "color": [90, 160, 60]},
                {"id": 2, "name": "water", "color": [40, 90, 180]}, {"id": 5, "name": "house", "color": [180, 80, 60]},
                {"id": 7, "name": "road", "color": [128, 128, 128]}]})


def fixture_configs():
    a = LGGANConfig.tiny(PALETTE.count)
    b = LGGANConfig(classCount=PALETTE.count, baseWidth=8, maxWidthMultiplier=2, inputKernel=7, globalDepth=4,
                    spadeHidden=8, spadeHiddenFullResolution=4, spadeModulationKernel=3, globalUpsampling="bilinear",
                    localResBlocks=1, classKernel=5, localFusion="sum", useClassification=False)
    return {"tiny": a, "variants": b}


def fixture_layout(width: int = 48, height: int = 32) -> np.ndarray:
    """Palette positions: sky above a wavy horizon, grass, a lake, a house, a road, a few don't-care pixels."""
    y, x = np.mgrid[0:height, 0:width]
    ids = np.where(y < 12 + 3 * np.sin(x / 5.0), 0, 1)
    ids[((x - 34) / 9.0) ** 2 + ((y - 24) / 5.0) ** 2 < 1] = 2
    ids[14:22, 6:14] = 5
    ids[(np.abs(x - y - 4) <= 1) & (y > 18)] = 7
    position = {c.id: i for i, c in enumerate(PALETTE.classes)}
    out = np.vectorize(position.get)(ids).astype(np.int64)
    out[0:2, 44:48] = -1
    return out


def randomize(network: torch.nn.Module, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in network.named_parameters():
            if p.dim() >= 2:
                fan_in = p[0].numel() if not name.endswith("up0.weight") and not name.endswith("up1.weight") else p.shape[0] * p[0][0].numel()
                p.copy_(torch.randn(p.shape, generator=g) * (1.4 / fan_in ** 0.5))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)


def write_fixture(directory: str) -> dict:
    os.makedirs(directory, exist_ok=True)
    indices = fixture_layout()
    summary = {}
    for i, (name, config) in enumerate(fixture_configs().items()):
        network = LGGANNetwork(config, seed=i)
        randomize(network, 100 + i)
        network.eval()
        write_model(network, PALETTE, os.path.join(directory, f"{name}.model.safetensors"),
                    metadata={"trained": "scenepaint_torch.fixture (random weights)"})
        views = generate_views(network, PALETTE, indices)
        tensors = {"view." + k: v.contiguous() for k, v in views.items()}
        tensors["layout"] = torch.from_numpy(indices.astype(np.float32))
        atomic_write(save(tensors, metadata={"format": "scenepaint-parity", "torch": torch.__version__,
                                             "views": ",".join(views)}),
                     os.path.join(directory, f"{name}.expected.safetensors"))
        summary[name] = sorted(views)
    return summary


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    directory = argv[0] if argv else "Tests/Fixtures/parity"
    for name, views in write_fixture(directory).items():
        print(f"{directory}: {name}: {', '.join(views)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
