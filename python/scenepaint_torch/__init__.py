"""PyTorch twin of scenepaint's LGGAN (Sources/Models): the same config JSON,
parameter names, tensor layouts and safetensors model file, so weights trained
here load in `scenepaint edit` / `generate` and Swift-trained weights load here."""

from .config import LGGANConfig, ConfigError
from .palette import Palette
from .model import LGGANNetwork, MultiscaleDiscriminator, StyleEncoder
from .semantic_input import SemanticInput
from .model_file import read_model, write_model, ModelFileError

__all__ = ["LGGANConfig", "ConfigError", "Palette", "LGGANNetwork", "MultiscaleDiscriminator", "StyleEncoder",
           "SemanticInput", "read_model", "write_model", "ModelFileError"]
