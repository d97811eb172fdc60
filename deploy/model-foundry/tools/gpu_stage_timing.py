"""Times each DiffuGTS pipeline stage with a MAISI-sized random-weight model in PyTorch: the GPU check of issue 6.

    /usr/bin/python3 tools/gpu_stage_timing.py --device cuda [--size 256x256x128] [--box 128] [--steps 30] [--half]

The device machine has PyTorch and ONNX tools but no .NET, so the C# host cannot run there; this script rebuilds MAISI
v2 (rflow-ct: our autoencoder and UNet modules at MAISI's full widths) plus AOVA and refinement heads, with seeded random
weights, and runs the stages the node runs, with the same step counts, on one volume:

  encode      the whole volume through the VAE encoder (latent mean + the three feature maps), no tiling
  aova        the AOVA head for one prompt on those features
  inpaint     foundry.pipeline.inpaint: ⌈--steps × strength 0.6⌉ rectified-flow steps (MAISI's 30 → 18 UNet calls)
              on a latent box of --box/4 voxels per axis, known-region replacement outside a central sphere (RePaint)
  decode      the box back to the image grid
  residuals   pixel residual and the feature residual (re-encode the pseudo-healthy box)
  refine      the refinement head on the box

Each stage is synchronised (torch.cuda.synchronize) and timed after one untimed warm-up pass (cuDNN autotuning, lazy
allocation). Prints one JSON object: device, dtype, size, box, per-stage seconds, the total and peak GPU memory.
`--tiny` swaps in the tiny widths (the CPU smoke test the foundry's tests run). Weights are random: the figures are
speed, never accuracy.

`--train-batch N` also times one UNet training step (rectified-flow velocity loss, AdamW, N latent crops of
--train-crop voxels per axis, after 3 untimed steps; the mean of 10) for MAISI's UNet and for the reference preset's
(train.py's, batch 8 and crop 16 there): what a GPU would buy the foundry's training, reported under "train".
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from foundry.aova import AovaConfig, AovaHead  # noqa: E402
from foundry.autoencoder import Autoencoder  # noqa: E402
from foundry.diffusion_unet import DiffusionUNet  # noqa: E402
from foundry.layers import perturb_zero_initialised  # noqa: E402
from foundry.maisi import VARIANTS, tiny_variant  # noqa: E402
from foundry.pipeline import Conditioning, inpaint  # noqa: E402
from foundry.reference_model import PRESETS  # noqa: E402
from foundry.refinement import RefinementConfig, RefinementHead  # noqa: E402
from foundry.schedulers import RectifiedFlowScheduler  # noqa: E402
from foundry.training import stack_conditioning, unet_training_error  # noqa: E402

STRENGTH = 0.6


def parse_size(text: str) -> tuple[int, int, int]:
    x, y, z = (int(v) for v in text.lower().split("x"))
    return z, y, x


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cuda")
    p.add_argument("--size", default="256x256x128", help="volume X x Y x Z in voxels (multiples of 32)")
    p.add_argument("--box", type=int, default=128, help="edge of the inpainted image box in voxels (multiple of 32)")
    p.add_argument("--steps", type=int, default=30, help="scheduler steps (MAISI v2: 30)")
    p.add_argument("--half", action="store_true", help="fp16 autocast on CUDA")
    p.add_argument("--tiny", action="store_true", help="tiny widths (CPU smoke test)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--train-batch", type=int, default=0, help="also time a UNet training step with this batch (0: off)")
    p.add_argument("--train-crop", type=int, default=16, help="latent crop edge of --train-batch")
    args = p.parse_args(argv)
    device = torch.device(args.device)
    variant = tiny_variant(VARIANTS["rflow-ct"]) if args.tiny else VARIANTS["rflow-ct"]
    size = parse_size(args.size)
    if any(n % 32 for n in size) or args.box % 32 or any(args.box > n for n in size):
        print("gpu_stage_timing.py: --size edges and --box must be multiples of 32, the box inside the volume", file=sys.stderr)
        return 2
    torch.manual_seed(args.seed)
    ae = Autoencoder(variant.autoencoder)
    unet = perturb_zero_initialised(DiffusionUNet(variant.unet), args.seed)
    channels = variant.autoencoder.num_channels
    aova = AovaHead(AovaConfig(feature_channels=channels, feature_strides=(1, 2, 4), latent_stride=4,  # type: ignore[arg-type]
                               joint_dim=8 if args.tiny else 384, hidden_channels=4 if args.tiny else 64))
    refine = RefinementHead(RefinementConfig(feature_channels=channels[-1], feature_stride=4, hidden_channels=4 if args.tiny else 16))
    for net in (ae, unet, aova, refine):
        net.to(device).eval()
    scheduler = RectifiedFlowScheduler(variant.scheduler)  # type: ignore[arg-type]
    # The UNet reads the inputs its configuration enables and ignores the others.
    cond = Conditioning(
        spacing=torch.tensor([[150.0, 150.0, 150.0]], device=device),
        top_region_index=torch.tensor([[0.0, 100.0, 0.0, 0.0]], device=device),
        bottom_region_index=torch.tensor([[0.0, 0.0, 100.0, 0.0]], device=device),
        class_label=torch.tensor([1], device=device),
    )
    gen = torch.Generator(device="cpu").manual_seed(args.seed)
    image = torch.rand((1, 1, *size), generator=gen).to(device)
    prompt = torch.nn.functional.normalize(torch.randn((1, 2, 384), generator=gen), dim=-1).to(device)
    lb = args.box // 4
    latent_box = tuple(slice((n // 4 - lb) // 2, (n // 4 - lb) // 2 + lb) for n in size)
    grid = torch.stack(torch.meshgrid(*(torch.arange(lb, dtype=torch.float32) for _ in range(3)), indexing="ij"))
    mask = (((grid - (lb - 1) / 2) ** 2).sum(0) <= (lb / 3) ** 2).to(torch.float32)[None, None].to(device)
    autocast = torch.autocast("cuda", dtype=torch.float16) if args.half and device.type == "cuda" else nullcontext()

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    def run_once(times: dict[str, float] | None) -> None:
        state: dict[str, torch.Tensor] = {}

        def stage(name: str, fn: Callable[[], None]) -> None:
            sync()
            t0 = time.perf_counter()
            fn()
            sync()
            if times is not None:
                times[name] = round(time.perf_counter() - t0, 4)

        def encode() -> None:
            mu, _, feats = ae.encode_with_features(image)
            state["z0"], state["f1"], state["f2"], state["f3"] = mu, *feats

        def inpaint_box() -> None:
            z0 = state["z0"][(...,) + latent_box]
            state["zb"] = inpaint(unet, scheduler, z0, mask, cond, args.steps, STRENGTH, gen)

        image_box = (...,) + tuple(slice(s.start * 4, s.stop * 4) for s in latent_box)

        def residuals() -> None:
            box = image[image_box]
            _, _, healthy_feats = ae.encode_with_features(state["healthy"])
            _, _, feats = ae.encode_with_features(box)
            state["pixel"] = (box - state["healthy"]).abs()
            state["feature"] = feats[-1] - healthy_feats[-1]

        with torch.no_grad(), autocast:
            stage("encode", encode)
            stage("aova", lambda: state.update(logits=aova(state["f1"], state["f2"], state["f3"], prompt)))
            stage("inpaint", inpaint_box)
            stage("decode", lambda: state.update(healthy=ae.decode(state["zb"]).to(image.dtype)))
            stage("residuals", residuals)
            stage("refine", lambda: state.update(probability=torch.sigmoid(refine(
                image[image_box], state["healthy"], state["pixel"], state["feature"],
                torch.full_like(state["pixel"], 0.5)))))

    run_once(None)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    times: dict[str, float] = {}
    run_once(times)
    report = {
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "dtype": "float16 autocast" if args.half and device.type == "cuda" else "float32",
        "variant": "rflow-ct tiny widths" if args.tiny else "rflow-ct (MAISI v2) full widths, random weights",
        "size_xyz": list(reversed(size)),
        "inpaint_box_voxels": args.box,
        "unet_calls": math.ceil(args.steps * STRENGTH),
        "seconds": times,
        "total_seconds": round(sum(times.values()), 4),
        "peak_gpu_memory_gib": round(torch.cuda.max_memory_allocated(device) / 2**30, 2) if device.type == "cuda" else None,
        "torch": torch.__version__,
    }
    if args.train_batch:
        reference = DiffusionUNet(PRESETS["tiny" if args.tiny else "reference"].unet).to(device)
        report["train"] = {
            "batch": args.train_batch, "latent_crop": args.train_crop,
            "seconds_per_step": {name: train_step_seconds(net, scheduler, cond, args.train_batch, args.train_crop, device, autocast)
                                 for name, net in (("maisi_unet", unet), ("reference_unet", reference))},
        }
    print(json.dumps(report, indent=2))
    return 0


def train_step_seconds(unet: DiffusionUNet, scheduler: RectifiedFlowScheduler, cond: Conditioning, batch: int, crop: int,
                       device: torch.device, autocast: object, steps: int = 10) -> float:
    """Mean seconds of one training step (forward, velocity loss, backward, AdamW) after 3 untimed ones."""
    unet.train()
    optimiser = torch.optim.AdamW(unet.parameters(), lr=1e-4)
    cond = stack_conditioning([cond] * batch)
    gen = torch.Generator(device="cpu").manual_seed(0)
    z0 = torch.randn((batch, unet.config.in_channels, crop, crop, crop), generator=gen).to(device)
    elapsed = 0.0
    for step in range(3 + steps):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        with autocast:  # type: ignore[attr-defined]
            loss = unet_training_error(unet, scheduler, z0, z0, cond, gen).abs().mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        elapsed += (time.perf_counter() - start) if step >= 3 else 0.0
    unet.eval()
    return round(elapsed / steps, 4)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
