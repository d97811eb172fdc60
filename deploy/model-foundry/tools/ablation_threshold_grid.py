"""Does the pixel residual add anything to the AOVA when each is given its best threshold? Offline, from calibrate.py's
maps: c's mean Dice for each anomaly threshold t (τ = 0 column) beside d's, c's voxels whose smoothed pixel residual
exceeds τ, for each (t, τ) on the validation phantoms. d earns its place only if its best cell beats c's best t: a
lower t with a residual cut can prune the AOVA's false positives, but pass 3 of calibrate.py keeps the package's t.

    /usr/bin/python3 tools/ablation_threshold_grid.py CALIBRATE_OUT VALIDATION_DIR [--residual node|signed|median]

CALIBRATE_OUT is a `calibrate.py --out` folder after pass 3 (pass1/<case>/debug/*_probability.nii.gz, c's upsampled AOVA
map; pass3/<case>/debug/*_pixel_residual.nii.gz, d's residual in the inpainted box). The residual comes from the
package's candidate box, so a cell with t below the package's anomaly threshold sees no residual outside that box.

    --residual node      the node's own smoothed pixel residual (default)
    --residual signed    |G_σ(I − H)|: the node's model image I and pseudo-healthy image H (pass 3's debug maps), the
                         signed difference smoothed by a Gaussian of --sigma model voxels before the absolute value
    --residual median    |G_σ(I − median(I))|: a healer without diffusion, a --median-size cube median filter of I over
                         the inpainted box; the yardstick a diffusion healer must beat for its residual to earn its place
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from calibrate import f_score, on_grid, prompt_for  # noqa: E402

ANOMALY_THRESHOLDS = [0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]
RESIDUAL_THRESHOLDS = [0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1]


def empty_scores() -> dict[tuple[float, float], list[float]]:
    return {(t, tau): [] for t in ANOMALY_THRESHOLDS for tau in RESIDUAL_THRESHOLDS}


def prompt_slug(case: Path) -> str:
    """The file-name form of the phantom's lesion prompt, as the node names its debug maps."""
    lesion = json.loads((case / "phantom.json").read_text())["lesions"][0]
    return prompt_for(lesion["organ"], lesion["kind"]).replace(" ", "_")


def aova_map(run: Path, case: str, slug: str, grid: nib.Nifti1Image) -> np.ndarray:
    """c's upsampled AOVA map (calibrate.py's pass 1) of the case's prompt on `grid`, the case's voxels."""
    return on_grid(nib.load(run / "pass1" / case / "debug" / f"{slug}_probability.nii.gz"), grid)


def add_case(scores: dict[tuple[float, float], list[float]], anomaly: np.ndarray, residual: np.ndarray, truth: np.ndarray) -> None:
    """One case's Dice in every cell: c's voxels (anomaly > t), those whose residual exceeds τ too (τ 0: c alone)."""
    for t, tau in scores:
        scores[(t, tau)].append(f_score((anomaly > t) & (residual > tau) if tau > 0 else anomaly > t, truth, 1.0))


def report(scores: dict[tuple[float, float], list[float]]) -> None:
    """Prints the mean Dice of each (t, τ) cell (τ 0: c) and c's best t against d's best cell."""
    print("mean Dice; rows anomaly threshold t, columns τ (0: c, the AOVA alone)")
    print("t     " + " ".join(f"{tau:>6}" for tau in RESIDUAL_THRESHOLDS))
    for t in ANOMALY_THRESHOLDS:
        print(f"{t:<5} " + " ".join(f"{np.mean(scores[(t, tau)]):6.3f}" for tau in RESIDUAL_THRESHOLDS))
    c_best = max(ANOMALY_THRESHOLDS, key=lambda t: np.mean(scores[(t, 0.0)]))
    d_best = max((k for k in scores if k[1] > 0), key=lambda k: np.mean(scores[k]))
    print(f"c best: t {c_best}, {np.mean(scores[(c_best, 0.0)]):.3f}; d best: t {d_best[0]} τ {d_best[1]}, {np.mean(scores[d_best]):.3f}"
          f" ({len(scores[d_best])} cases)")


def residual_map(debug: Path, slug: str, mode: str, sigma: float, median_size: int) -> nib.Nifti1Image | None:
    """d's residual in the inpainted box on the model grid (the node's pixel-residual map gives the box): the node's
    own map, or |G_σ(I − X)| with X the pseudo-healthy image H or a median filter of I. None when d made no box."""
    path = debug / f"{slug}_pixel_residual.nii.gz"
    if not path.exists():
        return None
    node = nib.load(path)
    if mode == "node":
        return node
    image_file = nib.load(debug / "model_image.nii.gz")
    offset = np.round(np.linalg.inv(image_file.affine) @ node.affine[:, 3]).astype(int)[:3]
    box = tuple(slice(o, o + n) for o, n in zip(offset, node.shape[:3]))
    image = np.asarray(image_file.dataobj, dtype=np.float32)[box]
    if mode == "median":
        healthy = ndimage.median_filter(image, size=median_size)
    else:
        healthy = np.asarray(nib.load(debug / f"{slug}_pseudo_healthy.nii.gz").dataobj, dtype=np.float32)[box]
    difference = image - healthy
    residual = np.abs(ndimage.gaussian_filter(difference, sigma) if sigma > 0 else difference)
    return nib.Nifti1Image(residual.astype(np.float32), node.affine)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run", type=Path, help="calibrate.py --out folder after pass 3")
    p.add_argument("cases", type=Path, help="the validation phantoms calibrate.py ran on")
    p.add_argument("--residual", choices=["node", "signed", "median"], default="node")
    p.add_argument("--sigma", type=float, default=0.0, help="Gaussian σ in model voxels (signed and median)")
    p.add_argument("--median-size", type=int, default=7, help="edge of the median filter's cube in model voxels")
    args = p.parse_args(argv)
    if not args.cases.is_dir():
        print(f"ablation_threshold_grid: {args.cases} is not a folder", file=sys.stderr)
        return 2
    scores = empty_scores()
    for case in sorted(c for c in args.cases.iterdir() if (c / "phantom.json").exists()):
        slug = prompt_slug(case)
        grid = nib.load(case / "lesions.nii.gz")
        truth = np.asarray(grid.dataobj) > 0
        anomaly = aova_map(args.run, case.name, slug, grid)
        residual = residual_map(args.run / "pass3" / case.name / "debug", slug, args.residual, args.sigma, args.median_size)
        add_case(scores, anomaly, on_grid(residual, grid) if residual is not None else np.zeros(truth.shape, np.float32), truth)
    if not scores[(ANOMALY_THRESHOLDS[0], 0.0)]:
        print(f"ablation_threshold_grid: no phantom folders in {args.cases}", file=sys.stderr)
        return 2
    report(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
