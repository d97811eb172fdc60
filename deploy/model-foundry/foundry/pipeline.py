"""Python reference of the inference pipeline's middle steps (package spec §5, steps 4–7).

Training the refinement head needs pseudo-healthy images made exactly the way the C# node makes them, so this module
mirrors the spec: candidate mask on the latent grid, 26-neighbourhood dilation, bounding box plus margin grown to the
UNet multiple, RePaint-style known-region replacement with the rectified-flow scheduler (method notes §6), decoding
of the box, and the pixel and feature residuals.

The residuals compare the pseudo-healthy image H with the VAE's reconstruction R = D(z0) of the same box, not with
the image I itself: |I − H| also holds the VAE's reconstruction error everywhere in the box (about 15 HU for the
reference VAE, as large as a subtle lesion's contrast), while |R − H| is what the inpainting changed and nothing else
(next to zero away from the candidate region; not exactly, as the decoder's group norms see the whole box). On the
ten validation phantoms (seeds 3001–3010, the 0.2.0 weights; tools/residual_report.py) the mean residual in the
inpainted region outside the lesion drops from 0.067 of the window (33 HU) to 0.007 (3.5 HU), and the lesion-to-
background ratio per case rises from 2.5 to 8.4 on average. The refinement head still sees I − H, through its image
and pseudo-healthy inputs: the VAE's failure to reconstruct a lesion is evidence too.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from foundry.autoencoder import Autoencoder
from foundry.diffusion_unet import DiffusionUNet
from foundry.schedulers import RectifiedFlowScheduler


@dataclass(frozen=True)
class Conditioning:
    """Healthy-scan conditioning (spec §3.3): spacing × 100, region one-hots × 100, modality class."""

    spacing: torch.Tensor  # [B, 3]
    top_region_index: torch.Tensor  # [B, 4]
    bottom_region_index: torch.Tensor  # [B, 4]
    class_label: torch.Tensor  # [B] int64

    def as_kwargs(self) -> dict[str, torch.Tensor]:
        return {
            "spacing": self.spacing,
            "top_region_index": self.top_region_index,
            "bottom_region_index": self.bottom_region_index,
            "class_labels": self.class_label,
        }


def dilate(mask: torch.Tensor, iterations: int) -> torch.Tensor:
    """Binary dilation with the 26-neighbourhood (3×3×3 max filter), `iterations` times."""
    for _ in range(iterations):
        mask = F.max_pool3d(mask, kernel_size=3, stride=1, padding=1)
    return mask


def latent_mask_from_image(mask: torch.Tensor, factor: int) -> torch.Tensor:
    """A latent voxel is a candidate when any of the image voxels it covers is (max-pool by the VAE factor)."""
    return F.max_pool3d(mask, kernel_size=factor, stride=factor)


def bounding_box(mask: torch.Tensor, margin: int, multiple: int) -> tuple[slice, slice, slice] | None:
    """Box of the non-zero voxels of a [1, 1, d, h, w] mask, plus `margin`, grown to a multiple and clamped."""
    nz = torch.nonzero(mask[0, 0] > 0)
    if nz.numel() == 0:
        return None
    box = []
    for axis, size in enumerate(mask.shape[2:]):
        lo = max(int(nz[:, axis].min()) - margin, 0)
        hi = min(int(nz[:, axis].max()) + 1 + margin, size)
        length = min(math.ceil((hi - lo) / multiple) * multiple, size)
        lo = min(lo, size - length)
        box.append(slice(lo, lo + length))
    return box[0], box[1], box[2]


def blockwise(fn: Callable[[torch.Tensor], Any], x: torch.Tensor, block: int | None) -> Any:
    """`fn` on each non-overlapping block³ of a [b, c, d, h, w] tensor whose extents are multiples of `block`, its
    outputs (a tensor or a tuple of them, each on a grid `block` maps to evenly) put together; `block` None runs `fn`
    on the whole tensor. This is how the node runs the reference package's VAE: its tile edge (the training crop)
    equals the alignment of its sliding window, so the window's step is the whole tile and tiles never overlap. The
    VAE's group norms depend on the extent they see: the reference VAE encoding and decoding a whole 128×128×64 phantom
    at once brightens its organs by about 53 HU (mean R − I in the organ 0.105–0.108 of the −200…300 window on
    validation phantoms 3001, 3007, 3010); in 32³ blocks, its training crops, that mean is ±17–18 HU."""
    if block is None:
        return fn(x)
    if any(n % block for n in x.shape[2:]):
        raise ValueError(f"extent {tuple(x.shape[2:])} is not a multiple of the block {block}")
    single = False
    outs: list[torch.Tensor] = []
    for z0 in range(0, x.shape[2], block):
        for y0 in range(0, x.shape[3], block):
            for x0 in range(0, x.shape[4], block):
                result = fn(x[:, :, z0:z0 + block, y0:y0 + block, x0:x0 + block])
                single = isinstance(result, torch.Tensor)
                parts = [result] if single else list(result)
                if not outs:
                    outs = [p.new_zeros(p.shape[:2] + tuple(n * p.shape[2] // block for n in x.shape[2:])) for p in parts]
                for out, part in zip(outs, parts):
                    e = part.shape[2]
                    z, y, w = (v * e // block for v in (z0, y0, x0))
                    out[:, :, z:z + e, y:y + e, w:w + e] = part
    return outs[0] if single else tuple(outs)


def encode_blockwise(autoencoder: Autoencoder, x: torch.Tensor, block: int | None) -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
    """`Autoencoder.encode_with_features` in blocks (see blockwise)."""
    def flat(b: torch.Tensor) -> tuple[torch.Tensor, ...]:
        mu, sigma, features = autoencoder.encode_with_features(b)
        return (mu, sigma, *features)

    mu, sigma, *features = blockwise(flat, x, block)
    return mu, sigma, list(features)


@torch.no_grad()
def inpaint(
    unet: DiffusionUNet,
    scheduler: RectifiedFlowScheduler,
    z0: torch.Tensor,
    mask: torch.Tensor,
    cond: Conditioning,
    steps: int,
    strength: float,
    generator: torch.Generator,
    resample: int = 1,
    noise: torch.Tensor | None = None,
) -> torch.Tensor:
    """Regenerates z0 inside `mask` (1 = repaint) and keeps it outside (spec §5 step 5). Runs on z0's device; the noise
    comes from the CPU `generator`, so a seed gives the same noise on every device, unless `noise` (z0's shape) is
    given: a probe then gives two batch items the same draw (a lesion case and its healthy twin).

    `resample` > 1 is RePaint's resampling (Lugmayr et al. 2022, jump length 1): every step but the last is taken
    `resample` times, the merged sample carried back from t_next to t by the forward process in between, so the
    repainted region can agree with the known one. A foundry probe (tools/pseudo_healthy_probe.py --resample); the
    node's pipeline (and so the package spec) has no resampling, and 1 is exactly the node's loop."""
    if resample < 1:
        raise ValueError(f"resample must be at least 1, not {resample}")
    scheduler.set_timesteps(steps, input_img_size_numel=int(z0[0, 0].numel()))
    pairs = scheduler.next_timesteps()[-math.ceil(steps * strength):]
    eps = (torch.randn(z0.shape, generator=generator) if noise is None else noise).to(z0.device)

    def at(t: float) -> torch.Tensor:
        return torch.full((z0.shape[0],), t, device=z0.device)

    x = scheduler.add_noise(z0, eps, at(pairs[0][0]))
    for t, t_next in pairs:
        known = scheduler.add_noise(z0, eps, at(t_next)) if t_next > 0 else z0  # the same for every jump
        for jump in range(resample if t_next > 0 else 1):
            if jump > 0:
                x = renoise(x, t_next, t, scheduler.config.num_train_timesteps, generator)
            v = unet(x, at(t), **cond.as_kwargs())
            x, _ = scheduler.step(v, t, x, t_next)
            x = mask * x + (1 - mask) * known
    return x


def renoise(x: torch.Tensor, s: float, t: float, num_train_timesteps: int, generator: torch.Generator) -> torch.Tensor:
    """The rectified flow's forward transition from time s to a later t (x_u = (1 − u)·x_0 + u·ε, u = time / T):
    x_t = a·x_s + b·ε′ with a = (1 − t)/(1 − s) and b² = t² − (a·s)², so a sample with x_s's marginal gets x_t's."""
    s, t = s / num_train_timesteps, t / num_train_timesteps
    if not 0 <= s < t <= 1:
        raise ValueError(f"renoise goes forward in time within [0, 1]: from {s} to {t}")
    a = (1 - t) / (1 - s)
    b = math.sqrt(max(t * t - (a * s) ** 2, 0.0))
    return a * x + b * torch.randn(x.shape, generator=generator).to(x.device)


@dataclass
class ResidualInputs:
    pseudo_healthy: torch.Tensor
    reconstruction: torch.Tensor  # D(z0) in the box, the image outside it
    pixel_residual: torch.Tensor  # |R − H|
    feature_residual: torch.Tensor  # f3(R) − f3(H)


@torch.no_grad()
def pseudo_healthy(
    autoencoder: Autoencoder,
    unet: DiffusionUNet,
    scheduler: RectifiedFlowScheduler,
    image: torch.Tensor,
    candidate: torch.Tensor,
    cond: Conditioning,
    scale_factor: float,
    steps: int,
    strength: float,
    dilation: int,
    margin: int,
    generator: torch.Generator,
    encoded: tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]] | None = None,
    samples: int = 1,
    vae_block: int | None = None,
) -> ResidualInputs:
    """Steps 4–7 for one [1, 1, d, h, w] image and its candidate mask on the image grid. `encoded` is the image's
    `encode_with_features` when the caller already has it (the encoder is not run twice). With `samples` > 1, H is the
    mean of that many decoded inpaintings, each with its own noise from `generator` (manifest `inpainting.samples`).
    `vae_block` runs the VAE in blocks of that edge, as the node does with the package's tile (see blockwise); the
    UNet sees the whole box."""
    factor = autoencoder.config.downsample_factor
    mu, _, _ = encoded if encoded is not None else encode_blockwise(autoencoder, image, vae_block)
    z0 = mu * scale_factor
    latent_mask = dilate(latent_mask_from_image(candidate, factor), dilation)
    box = bounding_box(latent_mask, margin, unet.config.latent_multiple)
    healthy, reconstruction = image.clone(), image.clone()
    # f3, the feature the residual is taken of, lies on the latent grid
    feature_residual = torch.zeros((1, autoencoder.config.num_channels[-1]) + tuple(n // factor for n in image.shape[2:]))
    if box is not None:
        zb = [inpaint(unet, scheduler, z0[(...,) + box], latent_mask[(...,) + box], cond, steps, strength, generator)
              for _ in range(samples)]
        image_box = tuple(slice(s.start * factor, s.stop * factor) for s in box)
        # One batch for the decoder and one for the encoder (group norms are per sample, so nothing mixes).
        decoded = blockwise(autoencoder.decode, torch.cat([z / scale_factor for z in zb] + [mu[(...,) + box]]),
                            None if vae_block is None else vae_block // factor)
        healthy[(...,) + image_box], reconstruction[(...,) + image_box] = decoded[:samples].mean(dim=0, keepdim=True), decoded[samples:]
        # Re-encoded box by box, as the node does (outside the box R = H = I, so the residual is zero there).
        _, _, features = encode_blockwise(autoencoder, torch.cat([reconstruction[(...,) + image_box], healthy[(...,) + image_box]]), vae_block)
        feature_residual[(...,) + box] = features[-1][:1] - features[-1][1:]
    return ResidualInputs(healthy, reconstruction, (reconstruction - healthy).abs(), feature_residual)
