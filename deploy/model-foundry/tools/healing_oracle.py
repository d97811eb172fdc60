"""Would a UNet that heals perfectly make the pixel residual earn its place (d > c)? An upper bound, offline.

The phantom generator draws the same anatomy for a seed with or without a lesion, so each validation phantom has a
healthy twin (`diffugts phantom` with the case's seed, region and grid, no --lesion; generated into --twins when
missing). A perfect healer's pseudo-healthy image is the twin's reconstruction through the same VAE, so d's residual
at best is |R − R_twin| (both on the package's model grid, the VAE in --vae-block blocks as the node runs it, smoothed
as the probe smooths). A generative healer draws new texture rather than the twin's own, so |R − G(R_twin)| (the twin
blurred) is the bound for one that gets the tissue's intensity right and nothing finer; |I − I_twin| is the bound with
a lossless VAE too. Each is scored as
tools/ablation_threshold_grid.py scores the node's own residual: c's AOVA map from calibrate.py's pass 1, every
(t, τ), Dice on the case grid. Also prints, per case, the AUROC of |R − R_twin| inside the organ (lesion against the
rest of the organ; tools/pseudo_healthy_probe.py's measure of the real UNet).

    /usr/bin/python3 tools/healing_oracle.py PACKAGE_OR_CHECKPOINT CALIBRATE_OUT CASE_DIR... [--model-spacing 1.5]
        [--vae-block 32] [--twins DIR] [--cli PATH/diffugts.dll]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from ablation_threshold_grid import add_case, aova_map, empty_scores, prompt_slug, report  # noqa: E402
from foundry.package_weights import load_networks  # noqa: E402
from foundry.phantoms import PhantomCase, read_generator_case, resample_case, to_lps_zyx, window_intensity  # noqa: E402
from foundry.pipeline import blockwise, encode_blockwise  # noqa: E402
from pseudo_healthy_probe import auroc  # noqa: E402
from residual_report import smooth  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
TEXTURE_SIGMA = 2.0


def make_twin(case: Path, twins: Path, cli: Path) -> Path:
    """The case's healthy twin: the generator's same seed, region, phase and grid without the lesion."""
    twin = twins / case.name
    if (twin / "phantom.json").exists():
        return twin
    meta = json.loads((case / "phantom.json").read_text())
    size = "x".join(str(n) for n in meta["size"])
    spacing = "x".join(str(s) for s in meta["spacingMm"])
    subprocess.run(["dotnet", str(cli), "phantom", "--out", str(twin), "--seed", str(meta["seed"]), "--region", meta["region"],
                    "--phase", meta.get("phase", "portal-venous"), "--size", size, "--spacing", spacing, "--format", "nifti"],
                   check=True, stdout=subprocess.DEVNULL)
    return twin


def block_box(mask: np.ndarray, block: int, margin: int) -> tuple[slice, ...]:
    """The mask's bounding box grown by `margin`, its ends on multiples of `block` (blocks run independently in the
    node's VAE, so a block-aligned crop reconstructs exactly as the whole volume would)."""
    where = np.argwhere(mask)
    lo, hi = where.min(0) - margin, where.max(0) + 1 + margin
    return tuple(slice(max(0, int(l) // block * block), int(-(-int(h) // block) * block)) for l, h in zip(lo, hi))


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("package", type=Path)
    p.add_argument("calibrate_out", type=Path)
    p.add_argument("cases", type=Path, nargs="+")
    p.add_argument("--model-spacing", type=float, default=None, help="the package's model spacing in mm (default: the case's)")
    p.add_argument("--vae-block", type=int, default=32)
    p.add_argument("--twins", type=Path, default=Path("runs/twins"))
    p.add_argument("--cli", type=Path, default=ROOT / "src/DiffuGts.Cli/bin/Release/net10.0/diffugts.dll")
    args = p.parse_args(argv)
    models, config, _ = load_networks(args.package)
    a_min, a_max = config.get("intensity_window", (-1000.0, 1000.0))
    factor = models.autoencoder.config.downsample_factor
    block = args.vae_block

    def reconstruct(x: torch.Tensor) -> torch.Tensor:
        mu, _, _ = encode_blockwise(models.autoencoder, x, block)
        return blockwise(models.autoencoder.decode, mu, block // factor)

    variants = {"|R − R_twin| (a perfect UNet, this VAE)": empty_scores(),
                f"|R − G(R_twin)|, G a Gaussian of σ {TEXTURE_SIGMA} voxels (a healer that gets the tissue right, not its texture)": empty_scores(),
                "|I − I_twin| (a perfect UNet and VAE)": empty_scores()}
    for folder in args.cases:
        meta = json.loads((folder / "phantom.json").read_text())
        lesion = meta["lesions"][0]
        case, twin = read_generator_case(folder), read_generator_case(make_twin(folder, args.twins, args.cli))
        truth = case.lesion_mask() > 0
        differ = float((case.labels[~truth] != twin.labels[~truth]).mean())
        if differ > 0.01:
            print(f"healing_oracle: {folder.name}: the twin's anatomy differs in {differ:.1%} of the voxels; skipped", file=sys.stderr)
            continue
        fine: list[PhantomCase] = [resample_case(c, args.model_spacing) if args.model_spacing else c for c in (case, twin)]
        organ = np.isin(fine[0].labels, fine[0].organ_ids(lesion["organ"].lower())) | (fine[0].lesion_mask() > 0)
        pad = [(-n) % block for n in organ.shape]
        x, xt = (F.pad(torch.from_numpy(window_intensity(c.image, a_min, a_max))[None, None], (0, pad[2], 0, pad[1], 0, pad[0])) for c in fine)
        box = (slice(None), slice(None)) + block_box(organ, block, 8)
        with torch.no_grad():
            recon, recon_twin = reconstruct(x[box]), reconstruct(xt[box])
            r = smooth((recon - recon_twin).abs(), 0.5)
            blurred = smooth((recon - smooth(recon_twin, TEXTURE_SIGMA)).abs(), 0.5)
            i = smooth((x[box] - xt[box]).abs(), 0.5)
        # back onto the case grid: the model grid's first voxel centre is the case's
        coords = np.meshgrid(*[np.arange(n) * s / (args.model_spacing or s) for n, s in zip(case.image.shape, case.spacing_xyz[::-1])], indexing="ij")
        residuals = []
        for value in (r, blurred, i):
            full = torch.zeros_like(x)
            full[box] = value
            residuals.append(ndimage.map_coordinates(full[0, 0].numpy(), coords, order=1, mode="nearest"))
        grid = nib.load(folder / "lesions.nii.gz")
        anomaly, _ = to_lps_zyx(nib.Nifti1Image(aova_map(args.calibrate_out, folder.name, prompt_slug(folder), grid), grid.affine))
        for scores, residual in zip(variants.values(), residuals):
            add_case(scores, anomaly, residual, truth)
        crop = r[0, 0].numpy()
        o, t = (np.pad(m, [(0, q) for q in pad])[box[2:]] for m in (organ, fine[0].lesion_mask() > 0))
        print(f"{folder.name} {lesion['organ']}/{lesion['kind']}: AUROC |R − R_twin| in the organ {auroc(crop[o], t[o]):.3f}, "
              f"mean in the lesion {crop[t].mean():.3f}, rest of the organ {crop[o & ~t].mean():.3f}", flush=True)
    for name, scores in variants.items():
        if not scores[next(iter(scores))]:
            print("healing_oracle: no case scored", file=sys.stderr)
            return 2
        print(f"\nd's residual {name}")
        report(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
