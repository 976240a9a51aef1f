"""The LGGAN generator and its discriminator, module for module as
Sources/Models (LGGANNetwork, LGGANEncoder, GlobalGenerator, SPADE, LocalGenerator,
WeightMapGenerator, PatchDiscriminator, StyleEncoder). Attribute names are the
Swift property names, so state_dict() keys equal Swift's checkpoint names."""
from __future__ import annotations

from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import LGGANConfig
from .layers import Conv, ConvTranspose, Linear, instance_norm, lggan_initialize
from .semantic_input import SemanticInput


class SPADE(nn.Module):
    """out = IN(x) * (1 + gamma) + beta, gamma/beta from one conv over the layout."""

    def __init__(self, channels, label_channels, hidden, modulation_kernel):
        super().__init__()
        self.shared = Conv(label_channels, hidden, 3, padding=1)
        self.modulation = Conv(hidden, 2 * channels, modulation_kernel, padding=modulation_kernel // 2)

    def forward(self, x, layout):
        gamma, beta = self.modulation(F.relu(self.shared(layout))).chunk(2, dim=1)
        return instance_norm(x) * (1 + gamma) + beta


class SPADEResBlock(nn.Module):
    def __init__(self, fin, fout, label_channels, hidden, modulation_kernel):
        super().__init__()
        middle = min(fin, fout)
        self.norm0 = SPADE(fin, label_channels, hidden, modulation_kernel)
        self.conv0 = Conv(fin, middle, 3, padding=1)
        self.norm1 = SPADE(middle, label_channels, hidden, modulation_kernel)
        self.conv1 = Conv(middle, fout, 3, padding=1)
        if fin != fout:
            self.normShortcut = SPADE(fin, label_channels, hidden, modulation_kernel)
            self.convShortcut = Conv(fin, fout, 1, bias=False)
        else:
            self.normShortcut = None
            self.convShortcut = None

    def forward(self, x, layout):
        shortcut = self.convShortcut(self.normShortcut(x, layout)) if self.convShortcut is not None else x
        dx = self.conv0(F.leaky_relu(self.norm0(x, layout), 0.2))
        dy = self.conv1(F.leaky_relu(self.norm1(dx, layout), 0.2))
        return shortcut + dy


class ResnetBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv0 = Conv(channels, channels, 3, padding=1, padding_mode="reflect")
        self.conv1 = Conv(channels, channels, 3, padding=1, padding_mode="reflect")

    def forward(self, x):
        return x + instance_norm(self.conv1(F.relu(instance_norm(self.conv0(x)))))


class LGGANEncoder(nn.Module):
    def __init__(self, c: LGGANConfig):
        super().__init__()
        k = c.inputKernel
        self.add_module("input", Conv(c.classCount, c.width(0), k, padding=k // 2, padding_mode="reflect"))
        self.downs = nn.ModuleList(Conv(c.width(l - 1), c.width(l), 3, stride=2, padding=1)
                                   for l in range(1, c.encoderDepth + 1))
        self.noiseProjections = nn.ModuleList(
            Linear(c.noiseChannels, c.width(l), bias=False) for l in range(c.encoderDepth + 1)) \
            if c.noiseChannels > 0 else nn.ModuleList()

    def forward(self, layout, noise: Optional[torch.Tensor]):
        def activate(x, level):
            h = instance_norm(x)
            if noise is not None and level < len(self.noiseProjections):
                h = h + self.noiseProjections[level](noise)[:, :, None, None]
            return F.relu(h)
        levels = [activate(self._modules["input"](layout), 0)]
        for k, down in enumerate(self.downs):
            levels.append(activate(down(levels[-1]), k + 1))
        return levels


class GlobalGenerator(nn.Module):
    def __init__(self, c: LGGANConfig):
        super().__init__()
        self.depth = c.globalDepth
        self.upsampling = c.globalUpsampling
        k = c.spadeModulationKernel
        self.blocks = nn.ModuleList(
            SPADEResBlock(c.width(level), c.width(max(1, level - 1)), c.classCount, c.spadeHidden, k)
            for level in range(self.depth, 0, -1))
        self.finalNorm = SPADE(c.width(1), c.classCount, c.spadeHiddenFullResolution, k)
        self.toRGB = Conv(c.width(1), 3, 3, padding=1)

    def upsample(self, x):
        if self.upsampling == "bilinear":
            return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        return F.interpolate(x, scale_factor=2, mode="nearest")

    def forward(self, features, layouts: List[torch.Tensor]):
        x = features
        for i, block in enumerate(self.blocks):
            level = self.depth - i
            x = block(x if level == self.depth else self.upsample(x), layouts[level])
        x = F.leaky_relu(self.finalNorm(self.upsample(x), layouts[0]), 0.2)
        return torch.tanh(self.toRGB(x))


class UpsamplingDecoder(nn.Module):
    def __init__(self, c: LGGANConfig):
        super().__init__()
        self.up0 = ConvTranspose(c.width(2), c.width(1), 3, stride=2, padding=1, output_padding=1)
        self.up1 = ConvTranspose(c.width(1), c.width(0), 3, stride=2, padding=1, output_padding=1)

    def forward(self, x):
        return F.relu(instance_norm(self.up1(F.relu(instance_norm(self.up0(x))))))


class ResizeConvDecoder(nn.Module):
    def __init__(self, c: LGGANConfig):
        super().__init__()
        self.conv0 = Conv(c.width(2), c.width(1), 3, padding=1)
        self.conv1 = Conv(c.width(1), c.width(0), 3, padding=1)

    def forward(self, x):
        h = F.relu(instance_norm(self.conv0(F.interpolate(x, scale_factor=2, mode="nearest"))))
        return F.relu(instance_norm(self.conv1(F.interpolate(h, scale_factor=2, mode="nearest"))))


class WeightMapGenerator(nn.Module):
    def __init__(self, c: LGGANConfig):
        super().__init__()
        self.decoder = ResizeConvDecoder(c)
        self.toLogits = Conv(c.width(0), 2, 1)

    def forward(self, features):
        return torch.softmax(self.toLogits(self.decoder(features)).float(), dim=1)


class LocalGenerator(nn.Module):
    """Per-class sub-generators on masked features (Eq. 1), computed exactly and
    sparsely on each present class's bounding box grown by the kernel radius; every
    other pixel of class i's output is tanh(bias_i) (zero-padded conv of zeros)."""

    def __init__(self, c: LGGANConfig):
        super().__init__()
        self.trunk = nn.ModuleList(ResnetBlock(c.width(2)) for _ in range(c.localResBlocks))
        self.decoder = UpsamplingDecoder(c)
        self.classConvs = nn.ModuleList(Conv(c.width(0), 3, c.classKernel) for _ in range(c.classCount))
        self.fusion = Conv(3 * c.classCount, 3, 3, padding=1) if c.localFusion == "conv" else None
        self.classifier = Linear(c.width(0), c.classCount) if c.useClassification else None
        self.radius = c.classKernel // 2

    def features(self, encoded):
        x = encoded
        for block in self.trunk:
            x = block(x)
        return self.decoder(x)

    def fuse(self, class_images):
        if self.fusion is not None:
            return torch.tanh(self.fusion(class_images))
        n, _, h, w = class_images.shape
        return class_images.reshape(n, -1, 3, h, w).sum(1)

    def background(self):
        return torch.tanh(torch.cat([conv.bias for conv in self.classConvs]))

    def sparse_class_images(self, f, inp: SemanticInput):
        n, _, h, w = f.shape
        r = self.radius
        out = self.background().to(f.dtype)[None, :, None, None].expand(n, -1, h, w).clone()
        pooled, pairs = [], []
        for image in range(n):
            for region in inp.regions[image]:
                k = region.classIndex
                top, bottom = max(0, region.top - r), min(h, region.bottom + r)
                left, right = max(0, region.left - r), min(w, region.right + r)
                # The window rows top-r ..< bottom+r (zeros outside the image), masked by class k.
                y0, y1 = max(0, top - r), min(h, bottom + r)
                x0, x1 = max(0, left - r), min(w, right + r)
                window = f[image:image + 1, :, y0:y1, x0:x1] * inp.oneHot[image:image + 1, k:k + 1, y0:y1, x0:x1].to(f.dtype)
                window = F.pad(window, (x0 - (left - r), (right + r) - x1, y0 - (top - r), (bottom + r) - y1))
                conv = self.classConvs[k]
                out[image, 3 * k:3 * k + 3, top:bottom, left:right] = torch.tanh(
                    F.conv2d(window, conv.weight, conv.bias))[0]
                if self.classifier is not None:
                    pooled.append(window.float().sum(dim=(2, 3)) / region.pixelCount)
                pairs.append((image, k))
        logits = self.classifier(torch.cat(pooled, 0)) if self.classifier is not None and pooled else None
        return out, logits, pairs

    def dense_class_images(self, f, inp: SemanticInput):
        return torch.cat([torch.tanh(F.conv2d(f * inp.oneHot[:, i:i + 1], conv.weight, conv.bias, padding=self.radius))
                          for i, conv in enumerate(self.classConvs)], 1)

    def forward(self, features, inp: SemanticInput):
        class_images, logits, pairs = self.sparse_class_images(features, inp)
        return self.fuse(class_images), class_images, logits, pairs


class LGGANNetwork(nn.Module):
    """Encoder E, global generator Gg, local generator Gl, weight-map generator Gw and their fusion."""

    def __init__(self, config: LGGANConfig, seed: Optional[int] = 0):
        super().__init__()
        config.validate()
        self.config = config
        self.encoder = LGGANEncoder(config)
        self.add_module("global", GlobalGenerator(config) if config.useGlobal else None)
        self.local = LocalGenerator(config) if config.useLocal else None
        self.weightMap = WeightMapGenerator(config) \
            if config.useGlobal and config.useLocal and config.useWeightMap else None
        lggan_initialize(self, torch.Generator().manual_seed(seed) if seed is not None else None)

    @property
    def global_generator(self) -> Optional[GlobalGenerator]:
        return self._modules["global"]

    def encode(self, inp: SemanticInput, noise):
        c = self.config
        if c.noiseChannels == 0:
            return self.encoder(inp.oneHot, None)
        z = noise if noise is not None else torch.zeros(inp.batch, c.noiseChannels, 1, 1, device=inp.oneHot.device)
        return self.encoder(inp.oneHot, z.reshape(inp.batch, c.noiseChannels))

    def forward(self, inp: SemanticInput, noise: Optional[torch.Tensor] = None) -> dict:
        c = self.config
        if inp.classCount != c.classCount:
            raise ValueError(f"input has {inp.classCount} classes, model {c.classCount}")
        if inp.height % c.sizeMultiple or inp.width % c.sizeMultiple:
            raise ValueError(f"layout {inp.width}x{inp.height} is not a multiple of {c.sizeMultiple}")
        levels = self.encode(inp, noise)
        out = {"global": None, "local": None, "weights": None, "classImages": None, "classLogits": None,
               "classPairs": []}
        g = self.global_generator
        if g is not None:
            layouts = [inp.one_hot_downsampled(1 << k) for k in range(c.globalDepth + 1)]
            out["global"] = g(levels[c.globalDepth], layouts)
        if self.local is not None:
            out["local"], out["classImages"], out["classLogits"], out["classPairs"] = \
                self.local(self.local.features(levels[2]), inp)
        if out["global"] is not None and out["local"] is not None:
            if self.weightMap is not None:
                weights = self.weightMap(levels[2])
                out["weights"] = weights
                out["fused"] = out["global"] * weights[:, 0:1] + out["local"] * weights[:, 1:2]
            else:
                out["fused"] = (out["global"] + out["local"]) * 0.5
        else:
            out["fused"] = out["global"] if out["global"] is not None else out["local"]
        return out

    def dense_class_images(self, inp: SemanticInput):
        return self.local.dense_class_images(self.local.features(self.encode(inp, None)[2]), inp)


class PatchDiscriminator(nn.Module):
    def __init__(self, in_channels, width, max_width, layers):
        super().__init__()
        convs = [Conv(in_channels, width, 4, stride=2, padding=2, spectral_norm=True)]
        channels = width
        for n in range(1, layers):
            nxt = min(channels * 2, max_width)
            convs.append(Conv(channels, nxt, 4, stride=1 if n == layers - 1 else 2, padding=2, spectral_norm=True))
            channels = nxt
        convs.append(Conv(channels, 1, 4, stride=1, padding=2, spectral_norm=True))
        self.convs = nn.ModuleList(convs)

    def forward(self, x):
        outputs = []
        h = x
        last = len(self.convs) - 1
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if i == last:
                outputs.append(h)
                break
            if i > 0:
                h = instance_norm(h)
            h = F.leaky_relu(h, 0.2)
            outputs.append(h)
        return outputs


class MultiscaleDiscriminator(nn.Module):
    def __init__(self, config: LGGANConfig, seed: Optional[int] = 1):
        super().__init__()
        self.scales = nn.ModuleList(
            PatchDiscriminator(config.classCount + 3, config.discriminatorWidth, config.discriminatorMaxWidth,
                               config.discriminatorLayers) for _ in range(config.discriminatorScales))
        lggan_initialize(self, torch.Generator().manual_seed(seed) if seed is not None else None)

    def forward(self, layout, image):
        x = torch.cat([layout.to(image.dtype), image], 1)
        results = []
        for i, d in enumerate(self.scales):
            results.append(d(x))
            if i + 1 < len(self.scales):
                x = F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)
        return results


class StyleEncoder(nn.Module):
    """SPADE's image encoder into the noise input (training only; not in the model file)."""

    def __init__(self, config: LGGANConfig, seed: Optional[int] = 2):
        super().__init__()
        widths = [3] + [config.width(l + 1) for l in range(4)]
        self.convs = nn.ModuleList(Conv(widths[i], widths[i + 1], 3, stride=2, padding=1) for i in range(4))
        self.mean = Linear(widths[4], config.noiseChannels)
        self.logVariance = Linear(widths[4], config.noiseChannels)
        lggan_initialize(self, torch.Generator().manual_seed(seed) if seed is not None else None)

    def forward(self, image):
        x = image
        for conv in self.convs:
            x = F.leaky_relu(instance_norm(conv(x)), 0.2)
        pooled = x.float().mean(dim=(2, 3))
        return self.mean(pooled), self.logVariance(pooled)

    @staticmethod
    def sample(mean, log_variance, generator=None):
        eps = torch.randn(mean.shape, generator=generator, device=mean.device) if generator is not None \
            else torch.randn_like(mean)
        return (mean + torch.exp(log_variance * 0.5) * eps)[:, :, None, None]

    @staticmethod
    def kl_divergence(mean, log_variance):
        return (1 + log_variance - mean.pow(2) - log_variance.exp()).sum() * (-0.5 / mean.shape[0])
