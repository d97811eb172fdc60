"""Which voxels of a lesion's organ does the node's own pipeline rank first? The residual check on what the node computes.

    /usr/bin/python3 tools/node_residual_probe.py PACKAGE CASE_DIR... [--cli "dotnet BIN/diffugts.dll"]

Each CASE_DIR is a case of the zero-shot benchmark's layout (image.nii.gz, lesion.nii.gz, organs.nii.gz, case.json with
the prompt and the organ's label values), e.g. out/zero-shot/data/cases/*. The C# node segments it with `--debug`
(`diffugts segment`, as calibrate.py does), and inside the lesion's organ (lesion included, where the node inpainted)
the report gives the AUROC of lesion voxels against the rest of the organ for: the smoothed pixel residual the
refinement head reads (|R − H| or |I − H|, the package's residual_reference), the raw |I − H|, and the head's
probability. 0.5 is chance; below 0.5 the lesion scores lower than healthy tissue of its organ. Also the share of the
organ and of the lesion inside the inpainted box, and the mean |I − H| in the organ (window units).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nibabel as nib
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from calibrate import ROOT, segment  # noqa: E402
from pseudo_healthy_probe import auroc  # noqa: E402


def volume(path: Path) -> np.ndarray:
    return np.asarray(nib.load(str(path)).dataobj).astype(np.float32)


def on_grid(box_file: Path, grid_file: Path) -> np.ndarray:
    """A debug volume written on the inpainted box, placed on the model grid (zero outside) by the two affines."""
    box, grid = nib.load(str(box_file)), nib.load(str(grid_file))
    offset = np.round(np.linalg.inv(grid.affine) @ box.affine[:, 3]).astype(int)[:3]
    data = np.asarray(box.dataobj).astype(np.float32)
    out = np.zeros(grid.shape, np.float32)
    out[tuple(slice(o, o + n) for o, n in zip(offset, data.shape))] = data
    return out


def probe(cli: list[str], package: Path, case: Path, work: Path) -> str:
    meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
    debug = segment(cli, case, meta["prompt"], package, work / case.name)
    slug = meta["prompt"].replace(" ", "_")
    lesion = volume(case / "lesion.nii.gz") > 0
    organ = np.isin(volume(case / "organs.nii.gz"), meta["organLabelValues"]) | lesion
    image, healthy = volume(debug / "model_image.nii.gz"), volume(debug / f"{slug}_pseudo_healthy.nii.gz")
    if image.shape != lesion.shape:
        return f"{case.name}: model grid {image.shape} differs from the case's {lesion.shape} (resampled input); skipped"
    residual = on_grid(debug / f"{slug}_pixel_residual.nii.gz", debug / "model_image.nii.gz")
    probability = volume(debug / f"{slug}_probability.nii.gz")
    inpainted = healthy != image
    o, t = organ & inpainted, lesion[organ & inpainted]
    raw = np.abs(image - healthy)
    return (f"{case.name:32s} organ in box {(organ & inpainted).sum() / organ.sum():.2f}, lesion {(lesion & inpainted).sum() / lesion.sum():.2f} | "
            f"AUROC residual {auroc(residual[o], t):.3f}  |I-H| {auroc(raw[o], t):.3f}  probability {auroc(probability[o], t):.3f} | "
            f"mean |I-H| in organ {raw[organ & ~lesion].mean():.3f}")


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("package", type=Path)
    p.add_argument("cases", type=Path, nargs="+")
    p.add_argument("--cli", default=f"dotnet {ROOT}/src/DiffuGts.Cli/bin/Release/net10.0/diffugts.dll")
    p.add_argument("--work", type=Path, default=Path("runs/node-residual-probe"))
    args = p.parse_args(argv)
    for case in args.cases:
        print(probe(args.cli.split(), args.package, case, args.work), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
