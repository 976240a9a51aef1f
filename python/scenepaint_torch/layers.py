"""Conv2d / ConvTranspose2d / Linear with scenepaint's checkpoint names
(Sources/Tensor/WeightedModule.swift): "weight", "bias" and, with spectral
norm, the buffers "weight_u" and "weight_v". torch.nn.utils.spectral_norm would
rename the weight to "weight_orig", so spectral norm is done here, as Swift
does it: one power iteration per call in training, sigma = u . (W v) with the
updated vectors, gradient through W only."""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def instance_norm(x: torch.Tensor) -> torch.Tensor:
    """Parameter-free instance norm (eps 1e-5, biased variance) computed in float32 under autocast."""
    return F.instance_norm(x.float(), eps=1e-5).to(x.dtype)


class Weighted(nn.Module):
    def __init__(self, weight_shape, bias_count: int, bias: bool, spectral_norm: bool):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(weight_shape))
        nn.init.xavier_normal_(self.weight)
        self.bias = nn.Parameter(torch.zeros(bias_count)) if bias else None
        self.spectral_norm = spectral_norm
        if spectral_norm:
            rows = weight_shape[0]
            cols = math.prod(weight_shape[1:])
            self.register_buffer("weight_u", F.normalize(torch.randn(rows), dim=0, eps=1e-12))
            self.register_buffer("weight_v", F.normalize(torch.randn(cols), dim=0, eps=1e-12))

    def effective_weight(self) -> torch.Tensor:
        if not self.spectral_norm:
            return self.weight
        w = self.weight.float().reshape(self.weight.shape[0], -1)
        if self.training:
            with torch.no_grad():
                v = F.normalize(torch.mv(w.t(), self.weight_u), dim=0, eps=1e-12)
                u = F.normalize(torch.mv(w, v), dim=0, eps=1e-12)
                self.weight_v.copy_(v)
                self.weight_u.copy_(u)
        u = self.weight_u.clone()
        v = self.weight_v.clone()
        sigma = torch.dot(u, torch.mv(w, v))
        return (self.weight.float() / sigma).to(self.weight.dtype)


class Conv(Weighted):
    def __init__(self, cin, cout, kernel, stride=1, padding=0, padding_mode="zeros", bias=True, spectral_norm=False):
        super().__init__((cout, cin, kernel, kernel), cout, bias, spectral_norm)
        self.stride, self.padding, self.padding_mode = stride, padding, padding_mode

    def forward(self, x):
        w = self.effective_weight()
        if self.padding_mode == "reflect" and self.padding > 0:
            p = self.padding
            return F.conv2d(F.pad(x, (p, p, p, p), mode="reflect"), w, self.bias, self.stride)
        return F.conv2d(x, w, self.bias, self.stride, self.padding)


class ConvTranspose(Weighted):
    """Weight [in, out, k, k] (PyTorch's layout, as Swift's ConvTranspose2d)."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0, output_padding=0, bias=True):
        super().__init__((cin, cout, kernel, kernel), cout, bias, False)
        self.stride, self.padding, self.output_padding = stride, padding, output_padding

    def forward(self, x):
        return F.conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding)


class Linear(Weighted):
    def __init__(self, fin, fout, bias=True):
        super().__init__((fout, fin), fout, bias, False)

    def forward(self, x):
        return F.linear(x.flatten(1), self.weight, self.bias)


def lggan_initialize(module: nn.Module, generator: torch.Generator = None) -> None:
    """LGGAN's init (Module.initialize in Swift): xavier-normal gain 0.02 on every
    rank>=2 "weight", zero biases; rank-1 weights are left alone."""
    for name, p in module.named_parameters():
        leaf = name.rsplit(".", 1)[-1]
        with torch.no_grad():
            if leaf == "weight" and p.dim() >= 2:
                fan_out, fan_in = p.shape[0] * p[0][0].numel(), p.shape[1] * p[0][0].numel()
                std = 0.02 * math.sqrt(2.0 / (fan_in + fan_out))
                p.normal_(0.0, std, generator=generator)
            elif leaf == "bias":
                p.zero_()
