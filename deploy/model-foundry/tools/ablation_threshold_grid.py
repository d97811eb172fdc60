"""Does the pixel residual add anything to the AOVA when each is given its best threshold? Offline, from calibrate.py's
maps: c's mean Dice for each anomaly threshold t (τ = 0 column) beside d's, c's voxels whose smoothed pixel residual
exceeds τ, for each (t, τ) on the validation phantoms. d earns its place only if its best cell beats c's best t: a
lower t with a residual cut can prune the AOVA's false positives, but pass 3 of calibrate.py keeps the package's t.

    /usr/bin/python3 tools/ablation_threshold_grid.py CALIBRATE_OUT VALIDATION_DIR

CALIBRATE_OUT is a `calibrate.py --out` folder after pass 3 (pass1/<case>/debug/*_probability.nii.gz, c's upsampled AOVA
map; pass3/<case>/debug/*_pixel_residual.nii.gz, d's residual in the inpainted box). The residual comes from the
package's candidate box, so a cell with t below the package's anomaly threshold sees no residual outside that box.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import nibabel as nib
import numpy as np

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


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    run, cases = Path(argv[0]), Path(argv[1])
    if not cases.is_dir():
        print(f"ablation_threshold_grid: {cases} is not a folder", file=sys.stderr)
        return 2
    scores = empty_scores()
    for case in sorted(c for c in cases.iterdir() if (c / "phantom.json").exists()):
        slug = prompt_slug(case)
        grid = nib.load(case / "lesions.nii.gz")
        truth = np.asarray(grid.dataobj) > 0
        anomaly = aova_map(run, case.name, slug, grid)
        path = run / "pass3" / case.name / "debug" / f"{slug}_pixel_residual.nii.gz"
        residual = on_grid(nib.load(path), grid) if path.exists() else np.zeros(truth.shape, np.float32)
        add_case(scores, anomaly, residual, truth)
    if not scores[(ANOMALY_THRESHOLDS[0], 0.0)]:
        print(f"ablation_threshold_grid: no phantom folders in {cases}", file=sys.stderr)
        return 2
    report(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
