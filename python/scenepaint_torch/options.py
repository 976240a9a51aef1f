"""Training options, as Sources/Training/LGGANTrainingOptions.swift with the `train lggan` CLI defaults
(the CLI sets globalL1Weight 10, sampleEvery 1000). Field names are the Swift JSON keys."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Optional


@dataclass
class TrainingOptions:
    size: int = 128
    cropWidth: Optional[int] = None   # non-square crops (Cityscapes 512x256): width; None = size
    batch: int = 4
    steps: int = 10_000
    generatorLearningRate: float = 1e-4
    discriminatorLearningRate: float = 4e-4
    beta1: float = 0.0
    beta2: float = 0.9
    decayFrom: Optional[int] = None
    adversarialWeight: float = 1.0
    featureMatchingWeight: float = 10.0
    localL1Weight: float = 10.0
    globalL1Weight: float = 10.0
    classificationWeight: float = 1.0
    adversarialOnBranches: bool = True
    styleEncoder: bool = False
    klWeight: float = 0.05
    sampledDiscriminatorFakes: bool = True
    checkpointEvery: int = 200
    sampleEvery: int = 1000
    logEvery: int = 10
    seed: int = 1

    @property
    def crop(self):
        """(width, height) of a training crop."""
        return (self.cropWidth or self.size, self.size)

    def rate_factor(self, step: int) -> float:
        if self.decayFrom is None or step < self.decayFrom or self.steps <= self.decayFrom:
            return 1.0
        return max(0.0, 1 - (step - self.decayFrom) / (self.steps - self.decayFrom))

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "TrainingOptions":
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in known})
