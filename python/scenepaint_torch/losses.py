"""LGGAN's loss terms, as Sources/Training/LGGANLosses.swift (SPADE's multi-scale conventions)."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F

from .semantic_input import SemanticInput


def generator_adversarial(scales: List[List[torch.Tensor]]) -> torch.Tensor:
    """Hinge: -mean(D(fake)), averaged over scales."""
    return sum(-s[-1].float().mean() for s in scales) / len(scales)


def discriminator_hinge(scales, real: bool) -> torch.Tensor:
    return sum(F.relu(1 - s[-1].float() if real else 1 + s[-1].float()).mean() for s in scales) / len(scales)


def feature_matching(fake, real) -> torch.Tensor:
    """L1 between the fake's and the (constant) real's intermediate features, summed over layers, averaged over scales."""
    total = 0
    for f, r in zip(fake, real):
        for ff, rf in zip(f[:-1], r[:-1]):
            total = total + F.l1_loss(ff.float(), rf.detach().float())
    return total / len(fake)


def local_l1(class_images: torch.Tensor, real: torch.Tensor, inp: SemanticInput) -> torch.Tensor:
    """Eq. 2: sum over classes of mean |real * M_i - output_i| (absent classes: target 0)."""
    n, c = inp.batch, inp.classCount
    masks = inp.oneHot.to(real.dtype)
    target = (real.unsqueeze(1) * masks.unsqueeze(2)).reshape(n, 3 * c, inp.height, inp.width)
    return F.l1_loss(class_images.float(), target.float()) * c


def classification(logits: torch.Tensor, pairs, batch: int, ignore_class=None) -> torch.Tensor:
    """Eq. 5 with void filtering: per image the mean CE over its present classes, then the mean over
    images. The palette's ignore class (ADE20K 'other', COCO-Stuff 'unlabeled') is not a class to learn."""
    keep = [j for j, (_, k) in enumerate(pairs) if k != ignore_class]
    if not keep:
        return logits.sum() * 0
    per_image = [0] * batch
    for j in keep:
        per_image[pairs[j][0]] += 1
    weights = torch.tensor([1.0 / (per_image[pairs[j][0]] * batch) for j in keep], device=logits.device)
    targets = torch.tensor([pairs[j][1] for j in keep], device=logits.device)
    ce = F.cross_entropy(logits[keep].float(), targets, reduction="none")
    return (ce * weights).sum()
