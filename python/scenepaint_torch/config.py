"""LGGANConfig: the architecture, as Sources/Models/LGGANConfig.swift defines it.

Field names are the JSON keys (camelCase), so a config travels between the two
sides unchanged. Adding a field (the noise/style work of issue 15, ECGAN's own
config later) is one line here with the Swift default, plus its use in model.py:
`from_json` fills missing keys with the defaults (older files stay readable) and
rejects keys it does not know, because silently ignoring an architecture field
would build a different network than the file's weights were trained in.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, fields


class ConfigError(ValueError):
    """A model configuration that cannot be built (one line, as Swift's ModelConfigError)."""

    def __str__(self) -> str:
        return f"invalid model configuration: {self.args[0]}"


UPSAMPLINGS = ("nearest", "bilinear")
LOCAL_FUSIONS = ("sum", "conv")


@dataclass
class LGGANConfig:
    classCount: int
    baseWidth: int = 16
    maxWidthMultiplier: int = 4
    inputKernel: int = 3
    globalDepth: int = 3
    spadeHidden: int = 32
    spadeHiddenFullResolution: int = 16
    spadeModulationKernel: int = 1
    globalUpsampling: str = "nearest"
    localResBlocks: int = 2
    classKernel: int = 5
    localFusion: str = "conv"
    useGlobal: bool = True
    useLocal: bool = True
    useClassification: bool = True
    useWeightMap: bool = True
    noiseChannels: int = 0
    discriminatorWidth: int = 32
    discriminatorLayers: int = 4
    discriminatorScales: int = 2
    discriminatorMaxWidth: int = 128

    # Presets (LGGANConfig.standard / .tiny / .authors in Swift).
    @classmethod
    def standard(cls, class_count: int) -> "LGGANConfig":
        return cls(classCount=class_count)

    @classmethod
    def tiny(cls, class_count: int) -> "LGGANConfig":
        return cls(classCount=class_count, baseWidth=8, spadeHidden=8, spadeHiddenFullResolution=8, localResBlocks=1,
                   classKernel=3, discriminatorWidth=8, discriminatorLayers=3)

    @classmethod
    def authors(cls, class_count: int) -> "LGGANConfig":
        return cls(classCount=class_count, baseWidth=64, maxWidthMultiplier=16, inputKernel=7, globalDepth=4,
                   spadeHidden=128, spadeHiddenFullResolution=128, spadeModulationKernel=3, localResBlocks=9,
                   classKernel=7, discriminatorWidth=64, discriminatorMaxWidth=512)

    PRESETS = ("standard", "tiny", "authors")

    @classmethod
    def preset(cls, name: str, class_count: int) -> "LGGANConfig":
        if name not in cls.PRESETS:
            raise ConfigError(f"unknown preset '{name}' (known: {', '.join(cls.PRESETS)})")
        return getattr(cls, name)(class_count)

    # Derived sizes.
    def width(self, level: int) -> int:
        return self.baseWidth * min(1 << level, self.maxWidthMultiplier)

    @property
    def encoderDepth(self) -> int:
        return max(2, self.globalDepth if self.useGlobal else 2)

    @property
    def sizeMultiple(self) -> int:
        return 1 << self.encoderDepth

    @property
    def classRadius(self) -> int:
        return self.classKernel // 2

    def validate(self) -> "LGGANConfig":
        def fail(what: str) -> ConfigError:
            return ConfigError(what)
        if not 1 <= self.classCount <= 256:
            raise fail(f"class count {self.classCount} is outside 1-256")
        if not (1 <= self.baseWidth <= 1024 and 1 <= self.maxWidthMultiplier <= 64):
            raise fail(f"widths {self.baseWidth} x {self.maxWidthMultiplier} are out of range")
        if not (self.inputKernel % 2 == 1 and 1 <= self.inputKernel <= 9):
            raise fail(f"input kernel {self.inputKernel} must be odd, 1-9")
        if not (self.classKernel % 2 == 1 and 1 <= self.classKernel <= 9):
            raise fail(f"class kernel {self.classKernel} must be odd, 1-9")
        if not 2 <= self.globalDepth <= 6:
            raise fail(f"global depth {self.globalDepth} is outside 2-6")
        if self.spadeHidden < 1 or self.spadeHiddenFullResolution < 1:
            raise fail("SPADE hidden widths must be positive")
        if self.spadeModulationKernel not in (1, 3):
            raise fail(f"SPADE modulation kernel {self.spadeModulationKernel} must be 1 or 3")
        if not 0 <= self.localResBlocks <= 16:
            raise fail(f"local ResNet blocks {self.localResBlocks} is outside 0-16")
        if not (self.useGlobal or self.useLocal):
            raise fail("the model needs a global or a local generator")
        if not 0 <= self.noiseChannels <= 256:
            raise fail(f"noise channels {self.noiseChannels} is outside 0-256")
        if not (self.discriminatorWidth >= 1 and self.discriminatorMaxWidth >= self.discriminatorWidth
                and 2 <= self.discriminatorLayers <= 6 and 1 <= self.discriminatorScales <= 4):
            raise fail(f"discriminator {self.discriminatorWidth} wide, {self.discriminatorLayers} layers, "
                       f"{self.discriminatorScales} scales is out of range")
        if self.globalUpsampling not in UPSAMPLINGS:
            raise fail(f"global upsampling '{self.globalUpsampling}' is not one of {', '.join(UPSAMPLINGS)}")
        if self.localFusion not in LOCAL_FUSIONS:
            raise fail(f"local fusion '{self.localFusion}' is not one of {', '.join(LOCAL_FUSIONS)}")
        return self

    # JSON exactly as Swift's JSONEncoder with .sortedKeys writes it (compact, sorted).
    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, values: dict) -> "LGGANConfig":
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(f"key '{unknown[0]}' is unknown to this scenepaint_torch (made by a newer scenepaint?)")
        if "classCount" not in values:
            raise ConfigError("the config has no classCount")
        for name, value in values.items():
            expected = known[name].type
            ok = {"int": isinstance(value, int) and not isinstance(value, bool),
                  "bool": isinstance(value, bool), "str": isinstance(value, str)}[expected]
            if not ok:
                raise ConfigError(f"key '{name}' has {value!r}, expected a {expected}")
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> "LGGANConfig":
        try:
            values = json.loads(text)
        except json.JSONDecodeError:
            raise ConfigError("the model config is not valid JSON for LGGAN") from None
        if not isinstance(values, dict):
            raise ConfigError("the model config is not a JSON object")
        return cls.from_dict(values)
