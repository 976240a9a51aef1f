"""`train lggan` on PyTorch: one process per device, started by torchrun.

    torchrun --standalone --nproc_per_node=1 -m scenepaint_torch.train --data DIR --out RUN
    torchrun --standalone --nproc_per_node=8 -m scenepaint_torch.train --data DIR --out RUN
    torchrun --nnodes=2 --node_rank=R --nproc_per_node=8 --rdzv_backend=c10d \
             --rdzv_endpoint=HOST:29500 --rdzv_id=JOB -m scenepaint_torch.train --data DIR --out RUN

(plain `python -m scenepaint_torch.train` runs one process). DistributedDataParallel over
NCCL on GPUs, gloo on CPUs; --batch is per process. The same loss terms, defaults and
step order (G then D) as Sources/Training/LGGANTrainer.swift. RUN/checkpoint.pt resumes
(--resume), RUN/model.safetensors is the generator in scenepaint's model-file format,
for `scenepaint edit --model` / `scenepaint generate --model`.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
import time
from typing import Optional

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP

from . import losses
from .config import ConfigError, LGGANConfig
from .data import FORMATS, DatasetError, PairDataset, StepBatches
from .model import LGGANNetwork, MultiscaleDiscriminator, StyleEncoder
from .model_file import atomic_write, write_model
from .options import TrainingOptions
from .palette import Palette, PaletteError

CHECKPOINT = "checkpoint.pt"
MODEL = "model.safetensors"
CHECKPOINT_FORMAT = "scenepaint-torch-lggan-training"


class UsageError(ValueError):
    pass


def parse_size(text: str):
    parts = text.lower().split("x")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        values = []
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or min(values) <= 0:
        raise UsageError(f"--size {text!r} is not N or WxH")
    return values[0], values[1]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="scenepaint_torch.train", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="dataset directory (scenepaint pairs, Cityscapes, ADE20K, COCO-Stuff)")
    p.add_argument("--format", choices=FORMATS, help="dataset layout (default: detected)")
    p.add_argument("--split", help="dataset split (train/val; ADE20K training/validation; COCO train2017/val2017)")
    p.add_argument("--palette", help="palette name or JSON file, when the dataset does not say")
    p.add_argument("--out", required=True, help="run directory")
    p.add_argument("--resume", action="store_true", help="continue RUN/checkpoint.pt")
    p.add_argument("--size", default="128", help="training crop: N (square) or WxH, multiples of the model's size multiple")
    p.add_argument("--batch", type=int, default=4, help="images per step per process")
    p.add_argument("--steps", type=int, help="total steps (default 10000; on --resume, the checkpoint's)")
    p.add_argument("--lr-g", type=float, default=1e-4)
    p.add_argument("--lr-d", type=float, default=4e-4)
    p.add_argument("--decay-from", type=int)
    p.add_argument("--local-l1-weight", type=float, default=10)
    p.add_argument("--global-l1-weight", type=float, default=10)
    p.add_argument("--feature-matching-weight", type=float, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--preset", choices=LGGANConfig.PRESETS, default="standard",
                   help="architecture: standard (the shipped CPU model), tiny, authors (the paper's sizes)")
    p.add_argument("--config", help="model config JSON file (LGGANConfig keys); overrides --preset")
    p.add_argument("--width", type=int, help="ngf (channels at full resolution)")
    p.add_argument("--local-blocks", type=int)
    p.add_argument("--class-kernel", type=int)
    p.add_argument("--spade-hidden", type=int)
    p.add_argument("--global-upsampling", choices=("nearest", "bilinear"))
    p.add_argument("--fusion", choices=("conv", "sum"))
    p.add_argument("--no-classification", action="store_true")
    p.add_argument("--no-weight-map", action="store_true")
    p.add_argument("--no-local", action="store_true")
    p.add_argument("--no-global", action="store_true")
    p.add_argument("--noise", type=int, help="noise channels")
    p.add_argument("--style-encoder", action="store_true")
    p.add_argument("--discriminator-width", type=int)
    p.add_argument("--checkpoint-every", type=int)
    p.add_argument("--log-every", type=int)
    p.add_argument("--amp", choices=("auto", "bf16", "none"), default="auto",
                   help="mixed precision: bf16 autocast (norms, softmax, losses, spectral norm stay float32); "
                        "auto = bf16 on GPUs that have it, none on CPU")
    p.add_argument("--workers", type=int, default=2, help="data-loading processes per training process")
    p.add_argument("--threads", type=int, help="torch CPU threads per process")
    p.add_argument("--device", help="cpu or cuda (default: cuda when available)")
    return p


def make_config(args, class_count: int) -> LGGANConfig:
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            values = json.load(f)
        values.setdefault("classCount", class_count)
        c = LGGANConfig.from_dict(values)
    else:
        c = LGGANConfig.preset(args.preset, class_count)
    overrides = {"baseWidth": args.width, "localResBlocks": args.local_blocks, "classKernel": args.class_kernel,
                 "spadeHidden": args.spade_hidden, "globalUpsampling": args.global_upsampling,
                 "localFusion": args.fusion, "noiseChannels": args.noise,
                 "discriminatorWidth": args.discriminator_width}
    for key, value in overrides.items():
        if value is not None:
            setattr(c, key, value)
    if args.no_classification: c.useClassification = False
    if args.no_weight_map: c.useWeightMap = False
    if args.no_local: c.useLocal = False
    if args.no_global: c.useGlobal = False
    if c.classCount != class_count:
        raise ConfigError(f"the config has {c.classCount} classes but the dataset's palette {class_count}")
    return c.validate()


def make_options(args) -> TrainingOptions:
    w, h = parse_size(args.size)
    return TrainingOptions(size=h, cropWidth=None if w == h else w, batch=args.batch, steps=args.steps or 10_000,
                           generatorLearningRate=args.lr_g, discriminatorLearningRate=args.lr_d,
                           decayFrom=args.decay_from, localL1Weight=args.local_l1_weight,
                           globalL1Weight=args.global_l1_weight, featureMatchingWeight=args.feature_matching_weight,
                           styleEncoder=args.style_encoder, seed=args.seed,
                           checkpointEvery=args.checkpoint_every or 200, logEvery=args.log_every or 10)


class Trainer:
    """Generator, discriminator (and style encoder), their TTUR Adam optimisers and the step."""

    def __init__(self, config: LGGANConfig, palette: Palette, options: TrainingOptions, device, world: int, rank: int,
                 amp: bool):
        self.config, self.palette, self.options, self.device, self.rank, self.amp = config, palette, options, device, rank, amp
        if palette.count != config.classCount:
            raise ConfigError(f"palette {palette.name} has {palette.count} classes but the model config {config.classCount}")
        self.G = LGGANNetwork(config, seed=options.seed).to(device)
        self.D = MultiscaleDiscriminator(config, seed=options.seed + 1).to(device)
        self.S = None
        if options.styleEncoder:
            if config.noiseChannels == 0:
                raise ConfigError("a style encoder needs a model with noise channels (--noise N)")
            self.S = StyleEncoder(config, seed=options.seed + 2).to(device)
        betas = (options.beta1, options.beta2)
        self.optG = torch.optim.Adam(list(self.G.parameters()) + (list(self.S.parameters()) if self.S else []),
                                     lr=options.generatorLearningRate, betas=betas)
        self.optD = torch.optim.Adam(self.D.parameters(), lr=options.discriminatorLearningRate, betas=betas)
        self.step = 0
        distributed = world > 1
        ids = [device.index] if device.type == "cuda" else None
        # Absent classes leave their class convs unused in a step: find_unused_parameters.
        self.G_run = DDP(self.G, device_ids=ids, find_unused_parameters=True) if distributed else self.G
        self.D_run = DDP(self.D, device_ids=ids) if distributed else self.D
        self.S_run = DDP(self.S, device_ids=ids) if distributed and self.S else self.S
        self.ignore_class = palette.ignore_position

    def autocast(self):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.amp)

    def train_step(self, inp, real) -> dict:
        o = self.options
        rate = o.rate_factor(self.step)
        for group in self.optG.param_groups: group["lr"] = o.generatorLearningRate * rate
        for group in self.optD.param_groups: group["lr"] = o.discriminatorLearningRate * rate
        self.G.train(); self.D.train()
        n = inp.batch
        gen = torch.Generator(device="cpu").manual_seed(hash((o.seed, self.step, self.rank, 7)) & 0x7FFF_FFFF_FFFF)
        record = {}

        # Generator update: D frozen (its raw module: nothing of D is reduced in this half).
        self.D.requires_grad_(False)
        with self.autocast():
            noise = None
            kl = None
            if self.config.noiseChannels > 0:
                noise = torch.randn(n, self.config.noiseChannels, 1, 1, generator=gen).to(self.device)
            if self.S is not None:
                mean, logvar = self.S_run(real)
                noise = StyleEncoder.sample(mean.float(), logvar.float(), None)
                kl = StyleEncoder.kl_divergence(mean.float(), logvar.float()) * o.klWeight
            out = self.G_run(inp, noise)
            fakes = [(0, out["fused"])]
            if o.adversarialOnBranches and out["global"] is not None and out["local"] is not None:
                fakes += [(1, out["global"]), (2, out["local"])]
            with torch.no_grad():
                real_features = self.D(inp.oneHot, real)
            scored = self.D(torch.cat([inp.oneHot] * len(fakes)), torch.cat([f for _, f in fakes]))
            terms = []
            record["featureMatching"] = 0.0
            for j, (kind, _) in enumerate(fakes):
                features = [[t[j * n:(j + 1) * n] for t in layers] for layers in scored]
                gan = losses.generator_adversarial(features)
                fm = losses.feature_matching(features, real_features) * o.featureMatchingWeight
                terms += [gan * o.adversarialWeight, fm]
                record[("ganFused", "ganGlobal", "ganLocal")[kind]] = gan.item()
                record["featureMatching"] += fm.item()
            if out["classImages"] is not None and o.localL1Weight > 0:
                l1 = losses.local_l1(out["classImages"], real, inp) * o.localL1Weight
                record["localL1"] = l1.item(); terms.append(l1)
            if out["global"] is not None and o.globalL1Weight > 0:
                l1 = torch.nn.functional.l1_loss(out["global"].float(), real) * o.globalL1Weight
                record["globalL1"] = l1.item(); terms.append(l1)
            if out["classLogits"] is not None and o.classificationWeight > 0:
                ce = losses.classification(out["classLogits"], out["classPairs"], n, self.ignore_class) \
                     * o.classificationWeight
                record["classification"] = ce.item(); terms.append(ce)
            if kl is not None:
                record["kl"] = kl.item(); terms.append(kl)
        record["fusedL1"] = (out["fused"].detach().float() - real).abs().mean().item() * 127.5
        self.optG.zero_grad(set_to_none=True)
        sum(terms).backward()
        self.optG.step()

        # Discriminator update on the same (now constant) fakes, one sampled fake per image.
        self.D.requires_grad_(True)
        fake_images = [f.detach() for _, f in fakes]
        if o.sampledDiscriminatorFakes and len(fake_images) > 1:
            choice = torch.randint(len(fake_images), (n,), generator=gen).tolist()
            fake_images = [torch.cat([fake_images[c][i:i + 1] for i, c in enumerate(choice)])]
        with self.autocast():
            images = torch.cat([real.to(fake_images[0].dtype)] + fake_images)
            layouts = torch.cat([inp.oneHot] * (len(fake_images) + 1))
            scored = self.D_run(layouts, images)
            part = lambda j: [[t[j * n:(j + 1) * n] for t in layers] for layers in scored]
            d_real = losses.discriminator_hinge(part(0), True)
            d_fake = sum(losses.discriminator_hinge(part(j + 1), False) for j in range(len(fake_images))) / len(fake_images)
        record["discriminatorReal"], record["discriminatorFake"] = d_real.item(), d_fake.item()
        self.optD.zero_grad(set_to_none=True)
        (d_real + d_fake).backward()
        self.optD.step()
        self.step += 1
        return record

    # Checkpoints: everything needed to resume (RNG streams derive from seed and step).
    def state(self) -> dict:
        return {"format": CHECKPOINT_FORMAT, "step": self.step, "config": self.config.to_json(),
                "palette": self.palette.to_json(), "options": self.options.to_json(),
                "G": self.G.state_dict(), "D": self.D.state_dict(), "S": self.S.state_dict() if self.S else None,
                "optG": self.optG.state_dict(), "optD": self.optD.state_dict()}

    def save(self, directory: str) -> None:
        buffer = io.BytesIO()
        torch.save(self.state(), buffer)
        atomic_write(buffer.getvalue(), os.path.join(directory, CHECKPOINT))
        write_model(self.G, self.palette, os.path.join(directory, MODEL),
                    metadata={"step": str(self.step), "trained": "scenepaint_torch.train"})

    @classmethod
    def load(cls, path: str, device, world, rank, amp, adjust=None) -> "Trainer":
        state = torch.load(path, map_location=device, weights_only=False)
        if state.get("format") != CHECKPOINT_FORMAT:
            raise UsageError(f"{path}: cannot resume training: not a scenepaint_torch LGGAN checkpoint")
        options = TrainingOptions.from_json(state["options"])
        if adjust:
            adjust(options)
        t = cls(LGGANConfig.from_json(state["config"]), Palette.from_json(state["palette"]), options, device, world,
                rank, amp)
        t.G.load_state_dict(state["G"]); t.D.load_state_dict(state["D"])
        if t.S is not None: t.S.load_state_dict(state["S"])
        t.optG.load_state_dict(state["optG"]); t.optD.load_state_dict(state["optD"])
        t.step = state["step"]
        return t


class StopRequest:
    """First SIGINT/SIGTERM: checkpoint after the current step and exit 130."""

    def __init__(self):
        self.requested = False
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, self._handle)

    def _handle(self, signum, frame):
        if self.requested:
            sys.exit(130)
        self.requested = True


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except (UsageError, DatasetError, ConfigError, PaletteError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1


def run(args) -> int:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    want = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(f"cuda:{local_rank}" if want == "cuda" else "cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    if args.threads:
        torch.set_num_threads(args.threads)
    if world > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    amp = (args.amp == "bf16") or (args.amp == "auto" and device.type == "cuda" and torch.cuda.is_bf16_supported())
    os.makedirs(args.out, exist_ok=True)
    checkpoint = os.path.join(args.out, CHECKPOINT)
    if args.resume and os.path.exists(checkpoint):
        def adjust(o: TrainingOptions):
            if args.steps: o.steps = args.steps
            if args.checkpoint_every: o.checkpointEvery = args.checkpoint_every
            if args.log_every: o.logEvery = args.log_every
            if args.decay_from is not None: o.decayFrom = args.decay_from
        trainer = Trainer.load(checkpoint, device, world, rank, amp, adjust)
        dataset = PairDataset(args.data, args.format, args.split, None)
        if dataset.palette.count != trainer.palette.count:
            raise UsageError(f"{args.data}: palette {dataset.palette.name} does not match the checkpoint's {trainer.palette.name}")
        if rank == 0:
            print(f"resuming {args.out} at step {trainer.step} of {trainer.options.steps}", file=sys.stderr)
    else:
        if os.path.exists(checkpoint):
            raise UsageError(f"{args.out} already holds a checkpoint: pass --resume to continue it, or choose another --out")
        dataset = PairDataset(args.data, args.format, args.split, args.palette)
        config = make_config(args, dataset.palette.count)
        options = make_options(args)
        for side in options.crop:
            if side % config.sizeMultiple:
                raise UsageError(f"--size {args.size}: sides must be multiples of {config.sizeMultiple}")
        trainer = Trainer(config, dataset.palette, options, device, world, rank, amp)
    o = trainer.options
    if rank == 0:
        g = sum(p.numel() for p in trainer.G.parameters()); d = sum(p.numel() for p in trainer.D.parameters())
        print(f"lggan (torch): {len(dataset)} {dataset.format} pairs in {args.data}, palette {trainer.palette.name} "
              f"({trainer.palette.count} classes); generator {g} parameters, discriminator {d}; crops "
              f"{o.crop[0]}x{o.crop[1]}, batch {o.batch} x {world} processes; {device.type}, amp {'bf16' if amp else 'off'}",
              file=sys.stderr)
    batches = StepBatches(dataset, o.crop, o.batch, o.seed, rank, o.steps)
    loader = torch.utils.data.DataLoader(batches, batch_size=None, sampler=range(trainer.step, o.steps),
                                         num_workers=args.workers, persistent_workers=False,
                                         prefetch_factor=2 if args.workers > 0 else None)
    stop = StopRequest()
    log_path = os.path.join(args.out, "log.jsonl")
    started = time.time()
    for step, inp, real in loader:
        inp.to(device)
        record = trainer.train_step(inp, real.to(device, non_blocking=True))
        done = trainer.step
        stopping = stop.requested
        if world > 1:  # every rank must agree to stop at the same step
            flag = torch.tensor([1.0 if stopping else 0.0], device=device)
            dist.all_reduce(flag)
            stopping = flag.item() > 0
        if rank == 0:
            if done % o.logEvery == 0 or done == o.steps:
                line = {"step": done, "seconds": round(time.time() - started, 3), **{k: round(v, 5) for k, v in record.items()}}
                with open(log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(line) + "\n")
                print(" ".join(f"{k} {v}" for k, v in line.items()), file=sys.stderr)
            if done % o.checkpointEvery == 0 or done == o.steps or stopping:
                trainer.save(args.out)
        if stopping:
            break
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    if stop.requested:
        if rank == 0:
            print(f"interrupted: saved step {trainer.step} to {checkpoint}; continue with --resume")
        return 130
    if rank == 0:
        if trainer.step >= o.steps and not os.path.exists(os.path.join(args.out, MODEL)):
            trainer.save(args.out)
        print(f"finished at step {trainer.step}; model: {os.path.join(args.out, MODEL)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
