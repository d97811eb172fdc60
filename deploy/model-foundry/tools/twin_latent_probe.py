"""Probe: how far does the UNet's pseudo-healthy latent move a lesion towards its healthy twin, against the texture it
regenerates anyway?

    /usr/bin/python3 tools/twin_latent_probe.py CHECKPOINT_OR_PACKAGE CASE_DIR... --twins DIR [--model-spacing 1.5]
        [--vae-block 32] [--strength 0.6] [--steps 30] [--dilation 1] [--samples 1]

Each case (a `diffugts phantom` folder with a lesion) and its healthy twin (DIR/<case name>, the generator's same seed
without the lesion; tools/healing_oracle.py makes them) are encoded as the node encodes (--vae-block) and the latent
box around the lesion grown by --dilation latent voxels is inpainted as the node inpaints (known region outside,
RePaint-style; from --strength of --steps rectified-flow steps, noise seed 0). Per case, inside the lesion's latent
voxels (scaled latents, whose SD is about 1):

  |Δ|        mean |z_lesion − z_twin|: how far the lesion moves the latent
  x0@s       one-step estimate x_s + s·v at noise level s (known region the twin's), mean |x̂0 − z_twin| / |Δ| over 3
             noise draws: 0 = healed exactly, 1 = no better than the lesion's own latent
  inpaint    mean |H − z_twin| / |Δ| after the full inpainting of the lesion case (H: the mean of --samples
             inpaintings, noise seeds 0, 1, …; the same seeds for the twin)
  floor      the same for the inpainting of the twin itself (nothing to heal: the regenerated texture alone)
  kept       projection of (H − H_twin) on (z_lesion − z_twin): the share of the lesion's difference that stays

A residual can only localise the lesion where |Δ| · kept stands out of floor · |Δ|; a small floor matters as much as a
small kept. Prints one line per case and the means.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from foundry.package_weights import load_networks  # noqa: E402
from foundry.phantoms import PhantomCase, read_generator_case, resample_case, window_intensity  # noqa: E402
from foundry.pipeline import Conditioning, bounding_box, dilate, encode_blockwise, inpaint, latent_mask_from_image  # noqa: E402
from foundry.reference_model import PRESETS, ReferenceModels  # noqa: E402
from foundry.schedulers import RectifiedFlowScheduler  # noqa: E402
from foundry.training import conditioning_for  # noqa: E402

NOISE_LEVELS = (0.1, 0.25, 0.43, 0.6)


@dataclass
class TwinBoxes:
    """A lesion case and its healthy twin, scaled latents, on the latent box around the lesion grown by the dilation."""

    sick: torch.Tensor  # [1, C, ...] the lesion case's latent
    healthy: torch.Tensor  # [1, C, ...] the twin's
    mask: torch.Tensor  # [1, 1, ...] 1 = inpainted (the lesion's latent voxels grown by the dilation)
    inside: torch.Tensor  # [1, C, ...] bool: the lesion's own latent voxels
    cond: Conditioning


def twin_boxes(models: ReferenceModels, scale: float, case: PhantomCase, twin: PhantomCase, window: tuple[float, float],
               vae_block: int | None, dilation: int) -> TwinBoxes:
    """Both volumes encoded as the node encodes them (in vae_block blocks), cut to the lesion's inpainting box."""
    factor = models.autoencoder.config.downsample_factor
    x = torch.stack([torch.from_numpy(window_intensity(c.image, *window)) for c in (case, twin)])[:, None]
    truth = torch.from_numpy(case.lesion_mask())[None, None]
    block = vae_block or factor * models.unet.config.latent_multiple
    pad = [(-n) % block for n in x.shape[2:]]
    x, truth = (F.pad(v, (0, pad[2], 0, pad[1], 0, pad[0])) for v in (x, truth))
    z = encode_blockwise(models.autoencoder, x, vae_block)[0] * scale
    lesion = latent_mask_from_image(truth, factor)
    box = (...,) + bounding_box(dilate(lesion, dilation), 2, models.unet.config.latent_multiple)
    sick = z[:1][box]
    return TwinBoxes(sick, z[1:][box], dilate(lesion, dilation)[box], (lesion[box] > 0).expand_as(sick), conditioning_for(case))


def healing_scores(pair: TwinBoxes, h_sick: torch.Tensor, h_twin: torch.Tensor) -> tuple[float, float, float]:
    """(inpaint, floor, kept) of the module docstring for the pseudo-healthy latents of the case and of its twin."""
    inside, difference = pair.inside, (pair.sick - pair.healthy)[pair.inside]
    delta = difference.abs().mean().item()
    kept = ((h_sick - h_twin)[inside] * difference).sum().item() / (difference * difference).sum().item()
    return ((h_sick - pair.healthy).abs()[inside].mean().item() / delta,
            (h_twin - pair.healthy).abs()[inside].mean().item() / delta, kept)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", type=Path)
    p.add_argument("cases", type=Path, nargs="+")
    p.add_argument("--twins", type=Path, required=True)
    p.add_argument("--model-spacing", type=float, default=None)
    p.add_argument("--vae-block", type=int, default=None)
    p.add_argument("--strength", type=float, default=0.6)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--dilation", type=int, default=1)
    p.add_argument("--samples", type=int, default=1, help="pseudo-healthy latents averaged (an estimate of the posterior mean)")
    args = p.parse_args(argv)
    models, config, scale = load_networks(args.checkpoint)
    a_min, a_max = config.get("intensity_window", (-1000.0, 1000.0))
    scheduler = RectifiedFlowScheduler(PRESETS[str(config["preset"])].scheduler)
    rows = []
    for folder in args.cases:
        case, twin = read_generator_case(folder), read_generator_case(args.twins / folder.name)
        if args.model_spacing:
            case, twin = resample_case(case, args.model_spacing), resample_case(twin, args.model_spacing)
        with torch.no_grad():
            pair = twin_boxes(models, scale, case, twin, (a_min, a_max), args.vae_block, args.dilation)
            sick, healthy, mask, inside, cond = pair.sick, pair.healthy, pair.mask, pair.inside, pair.cond
            delta = (sick - healthy).abs()[inside].mean().item()
            one_step = []
            for s in NOISE_LEVELS:
                t = torch.full((1,), s * scheduler.config.num_train_timesteps)
                errors = []
                for k in range(3):
                    eps = torch.randn(sick.shape, generator=torch.Generator().manual_seed(k))
                    x_t = torch.where(mask > 0, scheduler.add_noise(sick, eps, t), scheduler.add_noise(healthy, eps, t))
                    estimate = x_t + s * models.unet(x_t, t, **cond.as_kwargs())
                    errors.append((estimate - healthy).abs()[inside].mean().item() / delta)
                one_step.append(float(np.mean(errors)))
            h_sick, h_twin = (torch.stack([inpaint(models.unet, scheduler, v, mask, cond, args.steps, args.strength,
                                                   torch.Generator().manual_seed(k)) for k in range(args.samples)]).mean(0)
                              for v in (sick, healthy))
            row = [delta, *one_step, *healing_scores(pair, h_sick, h_twin)]
        rows.append(row)
        print(f"{folder.name}: " + format_row(row), flush=True)
    print("mean: " + format_row(list(np.mean(np.array(rows), axis=0))))
    return 0


def format_row(row: list[float]) -> str:
    levels = " ".join(f"x0@{s} {v:.2f}" for s, v in zip(NOISE_LEVELS, row[1:]))
    return f"|Δ| {row[0]:.3f} {levels} inpaint {row[-3]:.2f} floor {row[-2]:.2f} kept {row[-1]:.2f}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
