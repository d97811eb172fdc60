"""Choose a package's anomaly and probability thresholds on validation phantoms (never on the benchmark's cases).

    /usr/bin/python3 calibrate.py --package ../models/reference --cases VALIDATION_DIR [--out DIR]

VALIDATION_DIR holds phantom folders written by `diffugts phantom --format nifti` (phantom.json, image.nii.gz,
lesions.nii.gz), each with lesions in seen organs. The C# node's own pipeline does the work (`diffugts segment --debug`),
so the thresholds fit what the node computes, not a Python approximation. The cases may be coarser than the package's
model space (3 mm phantoms for a 1.5 mm package): the node's maps are read on the case's grid, as the node itself
resamples its probability to the input before thresholding.

Pass 1 (always run) runs each case once as method c (`segment --method aova`) and reads the AOVA anomaly map (it does
not depend on the thresholds). The anomaly threshold
is the one with the best mean F2 score of {anomaly > t} against the lesion on the latent grid: recall weighs more than
precision because a lesion left outside the candidate region can never be found by the later stages. The same maps
choose the anomaly mask threshold, at which the AOVA map alone is a mask (ablation c): the best mean Dice of the
upsampled map on the case's grid, so c is scored at its own best threshold, not at the candidate stage's.
Pass 2 runs each case again on a copy of the package holding that threshold and picks the probability threshold with
the best mean Dice of {probability > t} against the lesion (before the minimum-volume filter). Both passes write their
thresholds into that copy's manifest (pass 2 the probability threshold it chose, or the one given), so OUT/package is
the calibrated package (until 2026-11-30 pass 2's threshold was printed only and the copy kept the package's).
Pass 3 chooses the residual threshold τ of the ablation d (`diffugts eval --residual-threshold`, method aova-residual):
each case's upsampled AOVA map from pass 1 and its run as d (`--method aova-residual`: the smoothed pixel residual in
the inpainted box), and τ is the one with the best mean Dice of c's mask (at the mask threshold) ∩ {residual > τ};
c's own mean Dice is printed beside it. `--residual-thresholds` with no value skips the pass.
Prints the thresholds and the per-case figures; export_onnx.py --anomaly-threshold/--probability-threshold writes the
thresholds into the package. Exit status 0, or 2 on bad input.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parents[2]
# 0.05 steps, plus finer ends: a head that ranks lesions first can still put them at 0.02 or at 0.98.
THRESHOLDS = [0.01, 0.02, 0.03] + [round(0.05 * i, 2) for i in range(1, 20)] + [0.97, 0.98, 0.99]


def prompt_for(organ: str, kind: str) -> str:
    """The generic wording a radiologist would type (as scripts/benchmark-zero-shot.sh does)."""
    return f"{organ} lesion" if kind == "cystic" else f"{organ} tumor"


def segment(cli: list[str], case: Path, prompt: str, package: Path, out: Path, method: str = "full-pipeline") -> Path:
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([*cli, "segment", str(case / "image.nii.gz"), "--prompt", prompt, "--out", str(out),
                    "--model", str(package), "--debug", "--method", method], check=True, stdout=subprocess.DEVNULL)
    return out / "debug"


def block_max(mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A coarse voxel is set when any fine voxel it covers is (the latent grid's view of a mask). The case's grid must
    cover each latent voxel with a whole number of its voxels: 4 at the model spacing, 2 for a package at half the
    case's spacing (the latent grid is padded, so it may extend beyond the case)."""
    f = [m // s for m, s in zip(mask.shape, shape)]
    if min(f) < 1:
        raise ValueError(f"a latent grid {shape} finer than the case's grid {mask.shape}: generate the validation cases at a finer spacing")
    cropped = mask[: shape[0] * f[0], : shape[1] * f[1], : shape[2] * f[2]]
    return cropped.reshape(shape[0], f[0], shape[1], f[1], shape[2], f[2]).max(axis=(1, 3, 5))


def on_grid(image: nib.Nifti1Image, reference: nib.Nifti1Image) -> np.ndarray:
    """`image`'s values at the voxel centres of `reference` (linear, 0 outside), through both affines: the node's debug
    maps lie on its model grid, which is finer or coarser than the case's when the package's spacing differs; the node
    itself resamples its probability to the input grid the same way before thresholding."""
    to_image = np.linalg.inv(image.affine) @ reference.affine
    index = np.indices(reference.shape[:3], dtype=np.float64).reshape(3, -1)
    coords = to_image[:3, :3] @ index + to_image[:3, 3:4]
    data = np.asarray(image.dataobj, dtype=np.float32)
    values = ndimage.map_coordinates(data, coords, order=1, mode="nearest")
    outside = np.any((coords < -0.5) | (coords > np.array(data.shape[:3])[:, None] - 0.5), axis=0)
    values[outside] = 0.0
    return values.reshape(reference.shape[:3])


# τ of d in normalised intensity: 0.01 is 5 HU on a 500 HU window; the phantom lesions differ by 16 HU or more.
RESIDUAL_THRESHOLDS = [0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1]


def residual_masks(anomaly: nib.Nifti1Image, residual: nib.Nifti1Image, anomaly_threshold: float, taus: list[float],
                   reference: nib.Nifti1Image) -> list[np.ndarray]:
    """d's mask on the case's grid for each τ: c's voxels (upsampled AOVA map > t) whose smoothed pixel residual exceeds
    τ, both from the node's model grid (the residual only in the inpainted box, its own affine; 0 outside); as the node
    thresholds p = min(1, a / 2t, r / 2τ) at 0.5 after resampling. The residual is brought onto the map's grid once."""
    a = np.minimum(1.0, np.asarray(anomaly.dataobj, dtype=np.float32) / (2 * anomaly_threshold))
    r = on_grid(residual, anomaly)
    return [on_grid(nib.Nifti1Image(np.minimum(a, r / (2 * tau)), anomaly.affine), reference) > 0.5 for tau in taus]


def f_score(pred: np.ndarray, truth: np.ndarray, beta: float) -> float:
    tp = float((pred & truth).sum())
    fp, fn = float((pred & ~truth).sum()), float((~pred & truth).sum())
    b2 = beta * beta
    denominator = (1 + b2) * tp + b2 * fn + fp
    return (1 + b2) * tp / denominator if denominator else 1.0


def set_segmentation(package: Path, **thresholds: float) -> None:
    """Write chosen thresholds into the package copy's manifest (its `segmentation` section), so that the copy
    calibrate.py leaves in OUT/package is the calibrated package, ready for `diffugts eval --model`."""
    manifest = json.loads((package / "manifest.json").read_text())
    manifest["segmentation"].update(thresholds)
    (package / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def best(scores: dict[float, list[float]]) -> float:
    return max(scores, key=lambda t: (round(float(np.mean(scores[t])), 4), -abs(t - 0.5)))


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--package", type=Path, required=True)
    p.add_argument("--cases", type=Path, required=True)
    p.add_argument("--out", type=Path, default=Path("runs/calibration"))
    p.add_argument("--anomaly-threshold", type=float, default=None,
                   help="skip pass 1 and use this anomaly threshold (to compare candidate thresholds by pass 2's Dice)")
    p.add_argument("--probability-threshold", type=float, default=None,
                   help="skip pass 2 and keep this probability threshold (to rerun pass 3 alone)")
    p.add_argument("--residual-thresholds", type=float, nargs="*", default=RESIDUAL_THRESHOLDS,
                   help="τ values pass 3 tries for method d (none: skip the pass)")
    p.add_argument("--cli", default=f"dotnet {ROOT}/src/DiffuGts.Cli/bin/Release/net10.0/diffugts.dll",
                   help="command that runs the diffugts CLI")
    args = p.parse_args(argv)
    cli = args.cli.split()
    cases = sorted(c for c in args.cases.iterdir() if (c / "phantom.json").exists())
    if not cases or not (args.package / "manifest.json").exists():
        print("calibrate.py: need --cases with phantom folders and --package with manifest.json", file=sys.stderr)
        return 2

    truth, prompts, grids = {}, {}, {}
    for case in cases:
        lesions = json.loads((case / "phantom.json").read_text())["lesions"]
        prompts[case.name] = prompt_for(lesions[0]["organ"], lesions[0]["kind"])
        grids[case.name] = nib.load(case / "lesions.nii.gz")
        truth[case.name] = np.asarray(grids[case.name].dataobj) > 0

    anomaly_scores: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    mask_scores: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    for case in cases:  # the cheap pass (no diffusion): the anomaly mask threshold always comes from it
        slug = prompts[case.name].replace(" ", "_")
        debug = segment(cli, case, prompts[case.name], args.package, args.out / "pass1" / case.name, "aova")
        anomaly = np.asarray(nib.load(debug / f"{slug}_anomaly.nii.gz").dataobj)
        lesion = block_max(truth[case.name], anomaly.shape)
        inside, outside = anomaly[lesion], anomaly[~lesion]
        print(f"{case.name} {prompts[case.name]!r}: anomaly inside median {np.median(inside):.3f}, "
              f"outside p99 {np.percentile(outside, 99):.3f} max {outside.max():.3f}")
        upsampled = on_grid(nib.load(debug / f"{slug}_probability.nii.gz"), grids[case.name])
        for t in THRESHOLDS:
            anomaly_scores[t].append(f_score(anomaly > t, lesion, beta=2.0))
            mask_scores[t].append(f_score(upsampled > t, truth[case.name], beta=1.0))
    if args.anomaly_threshold is None:
        anomaly_threshold = best(anomaly_scores)
        print(f"anomaly threshold {anomaly_threshold} (mean F2 {np.mean(anomaly_scores[anomaly_threshold]):.3f})")
    else:
        anomaly_threshold = args.anomaly_threshold
    mask_threshold = best(mask_scores)
    at_candidate = f"; {np.mean(mask_scores[anomaly_threshold]):.3f} at the anomaly threshold" if anomaly_threshold in mask_scores else ""
    print(f"anomaly mask threshold {mask_threshold} (c's mean Dice {np.mean(mask_scores[mask_threshold]):.3f}{at_candidate})")

    package = args.out / "package"
    shutil.rmtree(package, ignore_errors=True)
    shutil.copytree(args.package, package)
    set_segmentation(package, anomaly_threshold=anomaly_threshold, anomaly_mask_threshold=mask_threshold)

    dice_scores: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    for case in (cases if args.probability_threshold is None else []):
        slug = prompts[case.name].replace(" ", "_")
        debug = segment(cli, case, prompts[case.name], package, args.out / "pass2" / case.name)
        path = debug / f"{slug}_probability.nii.gz"
        probability = on_grid(nib.load(path), grids[case.name]) if path.exists() else np.zeros(truth[case.name].shape)
        row = []
        for t in THRESHOLDS:
            dice_scores[t].append(f_score(probability > t, truth[case.name], beta=1.0))
            row.append(f"{dice_scores[t][-1]:.2f}")
        print(f"{case.name}: Dice at {', '.join(map(str, THRESHOLDS))}: {' '.join(row)}")
    if args.probability_threshold is None:
        probability_threshold = best(dice_scores)
        print(f"probability threshold {probability_threshold} (mean Dice {np.mean(dice_scores[probability_threshold]):.3f})")
    else:
        probability_threshold = args.probability_threshold
    set_segmentation(package, probability_threshold=probability_threshold)
    print(f"export: --anomaly-threshold {anomaly_threshold} --anomaly-mask-threshold {mask_threshold} "
          f"--probability-threshold {probability_threshold}")

    c_scores: list[float] = []
    tau_scores: dict[float, list[float]] = {t: [] for t in args.residual_thresholds}
    for case in (cases if args.residual_thresholds else []):
        slug = prompts[case.name].replace(" ", "_")
        c_debug = args.out / "pass1" / case.name / "debug"  # c's map does not depend on the thresholds
        d_debug = segment(cli, case, prompts[case.name], package, args.out / "pass3" / case.name, "aova-residual")
        anomaly = nib.load(c_debug / f"{slug}_probability.nii.gz")
        residual_path = d_debug / f"{slug}_pixel_residual.nii.gz"
        residual = nib.load(residual_path) if residual_path.exists() else nib.Nifti1Image(np.zeros(anomaly.shape, np.float32), anomaly.affine)
        c_scores.append(f_score(on_grid(anomaly, grids[case.name]) > mask_threshold, truth[case.name], beta=1.0))
        row = []
        masks = residual_masks(anomaly, residual, mask_threshold, args.residual_thresholds, grids[case.name])
        for tau, mask in zip(args.residual_thresholds, masks):
            tau_scores[tau].append(f_score(mask, truth[case.name], beta=1.0))
            row.append(f"{tau_scores[tau][-1]:.2f}")
        print(f"{case.name}: c Dice {c_scores[-1]:.2f}; d Dice at τ {', '.join(map(str, args.residual_thresholds))}: {' '.join(row)}")
    if args.residual_thresholds:
        # Ties go to the smaller τ (the one that removes least of c's mask).
        tau = max(args.residual_thresholds, key=lambda t: (round(float(np.mean(tau_scores[t])), 4), -t))
        print(f"residual threshold {tau} (d mean Dice {np.mean(tau_scores[tau]):.3f}; c {np.mean(c_scores):.3f})")
        print(f"eval: --residual-threshold {tau}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
