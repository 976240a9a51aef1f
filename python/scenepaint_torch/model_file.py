"""The inference model file (Sources/Models/LGGANModelFile.swift): a safetensors
file of the generator's tensors by name, with `__metadata__` format
"scenepaint-lggan", version "1", config (compact sorted JSON) and palette (JSON)."""
from __future__ import annotations

import os
import tempfile
from typing import Dict, Optional, Tuple

import torch
from safetensors import safe_open
from safetensors.torch import save

from .config import ConfigError, LGGANConfig
from .model import LGGANNetwork
from .palette import Palette, PaletteError

FORMAT = "scenepaint-lggan"
VERSION = "1"
DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


class ModelFileError(ValueError):
    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: not a usable scenepaint model: {reason}")


def atomic_write(data: bytes, path: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_model(network: LGGANNetwork, palette: Palette, path: str, dtype: str = "f32",
                metadata: Optional[Dict[str, str]] = None) -> None:
    meta = dict(metadata or {})
    meta.update(format=FORMAT, version=VERSION, config=network.config.to_json(), palette=palette.to_json())
    tensors = {name: t.detach().to("cpu", DTYPES[dtype]).contiguous() for name, t in network.state_dict().items()}
    atomic_write(save(tensors, metadata=meta), path)


def read_model(path: str, device="cpu") -> Tuple[LGGANNetwork, Palette, Dict[str, str]]:
    def fail(reason: str) -> ModelFileError:
        return ModelFileError(path, reason)
    try:
        with safe_open(path, framework="pt") as f:
            metadata = f.metadata() or {}
            tensors = {name: f.get_tensor(name).float() for name in f.keys()}
    except FileNotFoundError:
        raise fail("cannot read the file") from None
    except Exception as error:  # safetensors raises its own error types for corrupt headers
        raise fail(f"not a readable safetensors file ({error})") from None
    if metadata.get("format") != FORMAT:
        raise fail(f"its metadata has format {metadata.get('format')!r}, expected '{FORMAT}'")
    if "config" not in metadata:
        raise fail("its metadata has no model config")
    try:
        config = LGGANConfig.from_json(metadata["config"]).validate()
    except ConfigError as error:
        raise fail(error.args[0]) from None
    if "palette" not in metadata:
        raise fail("its metadata has no palette")
    try:
        palette = Palette.from_json(metadata["palette"], "palette")
    except PaletteError as error:
        raise fail(f"its palette is invalid ({error})") from None
    if palette.count != config.classCount:
        raise fail(f"its palette has {palette.count} classes but the model {config.classCount}")
    for name, t in tensors.items():
        if not torch.isfinite(t).all():
            raise fail(f"tensor '{name}' holds NaN or infinite values")
    network = LGGANNetwork(config, seed=None)
    mine = network.state_dict()
    for name, t in mine.items():
        if name not in tensors:
            raise fail(f"checkpoint has no tensor '{name}'")
        if tuple(tensors[name].shape) != tuple(t.shape):
            raise fail(f"checkpoint tensor '{name}' has shape {list(tensors[name].shape)}, the model expects {list(t.shape)}")
    extra = sorted(set(tensors) - set(mine))
    if extra:
        raise fail(f"checkpoint has tensor '{extra[0]}' that the model does not use")
    network.load_state_dict(tensors)
    network.eval()
    return network.to(device), palette, metadata
