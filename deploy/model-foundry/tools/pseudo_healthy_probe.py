"""Probe: which pseudo-healthy image makes a residual that separates a lesion from the rest of its organ?

Three variations of foundry.pipeline's inpainting, the organ (oracle, from the phantom's labels) as the candidate region:
--parts inpaints the region in interleaved parts (1 = all at once, 2 = latent checkerboard, 8 = parity classes), each
with the rest of the region as known context, as in patched diffusion anomaly detection; --samples averages H over that
many noise seeds ("img": mean of the decoded images, the package's inpainting.samples; "lat": decode of the mean
latent); --resample takes every step but the last that many times (RePaint's resampling). Prints per case and setting
the AUROC of the smoothed |R − H| inside the organ (lesion against the rest of the organ), the same for the smoothed
signed residual less its median over the organ ("centred": a regenerated organ uniformly darker or brighter than the
real one no longer hides lesions of one sign), and the mean |R − H| inside the lesion and in the rest of the organ;
first, per case, "no-healer": the same AUROC for the smoothed image's distance from the organ's median (no pseudo-healthy
image at all, the ranking baseline a thresholds), the yardstick a healer's residual must beat.
With more than one sample, "z" is the smoothed |R − H̄| in units of the samples' smoothed per-voxel spread (plus
0.01): a residual where the UNet's samples disagree counts for less.
--candidate lesion inpaints the lesion grown by --dilation latent voxels instead (what a good anomaly map would give);
the rest is then the inpainted part of the organ outside the lesion.

    /usr/bin/python3 tools/pseudo_healthy_probe.py CHECKPOINT_OR_PACKAGE CASE_DIR... [--parts 1 2 8] [--strength 0.6 1.0] [--samples 1 4 8] [--resample 1 5]
        [--model-spacing 1.5] [--vae-block 32] [--candidate organ|lesion] [--dilation 1]
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from foundry.phantoms import read_generator_case, resample_case, window_intensity  # noqa: E402
from foundry.pipeline import blockwise, bounding_box, dilate, encode_blockwise, inpaint, latent_mask_from_image  # noqa: E402
from foundry.package_weights import load_networks  # noqa: E402
from foundry.reference_model import PRESETS  # noqa: E402
from foundry.schedulers import RectifiedFlowScheduler  # noqa: E402
from foundry.training import conditioning_for  # noqa: E402
from residual_report import smooth  # noqa: E402


def auroc(score: np.ndarray, truth: np.ndarray) -> float:
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score)); ranks[order] = np.arange(1, len(score) + 1)
    pos = truth.sum(); neg = len(truth) - pos
    return float((ranks[truth].sum() - pos * (pos + 1) / 2) / (pos * neg))


def from_median(v: np.ndarray, organ: np.ndarray) -> np.ndarray:
    """|v − its median over the organ|: a score that a uniform shift of the whole organ does not move."""
    return np.abs(v - np.median(v[organ]))


def parity(shape: tuple[int, ...], parts: int) -> list[torch.Tensor]:
    """Interleaved groups of latent voxels: 1 (all), 2 (checkerboard), 8 (parity of each axis)."""
    grid = torch.stack(torch.meshgrid(*[torch.arange(n) for n in shape], indexing="ij"))
    if parts == 1:
        return [torch.ones(shape)]
    if parts == 2:
        return [((grid.sum(0) % 2) == g).float() for g in range(2)]
    code = (grid[0] % 2) * 4 + (grid[1] % 2) * 2 + (grid[2] % 2)
    return [(code == g).float() for g in range(8)]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", type=Path)
    p.add_argument("cases", type=Path, nargs="+")
    p.add_argument("--parts", type=int, nargs="+", default=[1, 2, 8])
    p.add_argument("--strength", type=float, nargs="+", default=[0.6])
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--samples", type=int, nargs="+", default=[1], help="average H over this many noise seeds")
    p.add_argument("--resample", type=int, nargs="+", default=[1], help="RePaint resampling: each step taken this many times")
    p.add_argument("--model-spacing", type=float, default=None, help="resample each case to this spacing in mm first (a 1.5 mm model on 3 mm phantoms)")
    p.add_argument("--candidate", choices=["organ", "lesion"], default="organ", help="inpaint the whole organ, or the lesion grown by --dilation latent voxels")
    p.add_argument("--dilation", type=int, default=1, help="latent voxels the candidate grows by (the package's dilation_latent_voxels)")
    p.add_argument("--sigma", type=float, nargs="*", default=[], help="also the AUROC of |R − H| smoothed signed, with each σ in voxels (texture of H averages out, a shifted mean stays)")
    p.add_argument("--vae-block", type=int, default=None, help="run the VAE in blocks of this edge, as the node does (default: whole volume and box)")
    args = p.parse_args(argv)
    models, config, scale = load_networks(args.checkpoint)
    a_min, a_max = config.get("intensity_window", (-1000.0, 1000.0))
    factor = models.autoencoder.config.downsample_factor
    scheduler = RectifiedFlowScheduler(PRESETS[str(config["preset"])].scheduler)

    def decode(z: torch.Tensor) -> torch.Tensor:
        return blockwise(models.autoencoder.decode, z, None if args.vae_block is None else args.vae_block // factor)

    for folder in args.cases:
        case = read_generator_case(folder)
        if args.model_spacing:
            case = resample_case(case, args.model_spacing)
        lesion = case.present_lesions()[0]
        x = torch.from_numpy(window_intensity(case.image, a_min, a_max))[None, None]
        truth = torch.from_numpy(case.lesion_mask())[None, None] > 0
        organ = torch.from_numpy(np.isin(case.labels, case.organ_ids(lesion.organ)))[None, None] | truth
        if args.vae_block:  # blocks need a multiple of the block: pad at the far end (window minimum, no label)
            pad = [(-n) % args.vae_block for n in x.shape[2:]]
            x, truth, organ = (F.pad(v, (0, pad[2], 0, pad[1], 0, pad[0])) for v in (x, truth, organ))
        with torch.no_grad():
            mu, _, _ = encode_blockwise(models.autoencoder, x, args.vae_block)
            z0 = mu * scale
            m = dilate(latent_mask_from_image((organ if args.candidate == "organ" else truth).float(), factor), args.dilation)
            box = bounding_box(m, 2, models.unet.config.latent_multiple)
            zb, mb = z0[(...,) + box], m[(...,) + box]
            ib = tuple(slice(s.start * factor, s.stop * factor) for s in box)
            recon = decode(mu[(...,) + box])
            t, o = truth[(...,) + ib][0, 0].numpy(), organ[(...,) + ib][0, 0].numpy()
            if args.candidate == "lesion":  # lesion against the rest of the inpainted region inside the organ
                o = o & (F.interpolate(mb, scale_factor=factor)[0, 0].numpy() > 0)
            plain = smooth(x[(...,) + ib], 0.5)[0, 0].numpy()  # no healer at all: the organ's median as H (baseline a's view)
            line = [f"{folder.name} {lesion.organ}/{lesion.kind} no-healer {auroc(from_median(plain, o)[o], t[o]):.3f}"]
            for strength, parts, resample in itertools.product(args.strength, args.parts, args.resample):
                healthy_sum, latent_sum, square_sum = None, None, None
                for n in range(max(args.samples)):
                    out = zb.clone()
                    for g, group in enumerate(parity(tuple(zb.shape[2:]), parts)):
                        mask = mb * group[None, None]
                        if mask.sum() == 0:
                            continue
                        z = inpaint(models.unet, scheduler, zb, mask, conditioning_for(case), args.steps, strength,
                                    torch.Generator().manual_seed(1000 * n + g), resample)
                        out = torch.where(mask > 0, z, out)
                    healthy = decode(out / scale)
                    healthy_sum = healthy if healthy_sum is None else healthy_sum + healthy
                    latent_sum = out if latent_sum is None else latent_sum + out
                    square_sum = healthy * healthy if square_sum is None else square_sum + healthy * healthy
                    if n + 1 not in args.samples:
                        continue
                    for name, h in (("img", healthy_sum / (n + 1)), ("lat", decode(latent_sum / (n + 1) / scale))):
                        if name == "lat" and n == 0:
                            continue
                        r = smooth((recon - h).abs(), 0.5)[0, 0].numpy()
                        signed = smooth(recon - h, 0.5)[0, 0].numpy()
                        centred = from_median(signed, o)
                        signed_i = smooth(x[(...,) + ib] - h, 0.5)[0, 0].numpy()  # against the image I instead of R
                        centred_i = from_median(signed_i, o)
                        wide = " ".join(f"σ{sigma} {auroc(smooth(recon - h, sigma)[0, 0].abs().numpy()[o], t[o]):.3f}" for sigma in args.sigma)
                        if name == "img" and n > 0:  # the residual in units of the samples' spread (where H varies, a residual says less)
                            spread = (square_sum / (n + 1) - h * h).clamp_min(0).sqrt()
                            z = r / (smooth(spread, 0.5)[0, 0].numpy() + 0.01)
                            wide += f" z {auroc(z[o], t[o]):.3f}"
                        line.append(f"s{strength} k{parts} j{resample} n{n + 1}{name}: AUROC {auroc(r[o], t[o]):.3f} centred {auroc(centred[o], t[o]):.3f} "
                                    f"image {auroc(np.abs(signed_i)[o], t[o]):.3f} image-centred {auroc(centred_i[o], t[o]):.3f} in {r[t].mean():.3f} organ {r[o & ~t].mean():.3f}"
                                    + (f" signed {wide}" if wide else ""))
        print(" | ".join(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
