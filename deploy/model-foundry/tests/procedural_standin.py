"""TEST-ONLY procedural stand-in for `diffugts phantom` output.

Used ONLY by the foundry's tests (and never to train a shipped package): a few small CT-like cases — a body ellipsoid,
a liver and a kidney, optional spherical lesions — written as NIfTI + sidecar in the layout `foundry.phantoms` reads.
Real training data come from the C# generator (`diffugts phantom`).
"""
from __future__ import annotations

import json
from pathlib import Path

import nibabel as nib
import numpy as np

SPACING_MM = 1.5


def _ellipsoid(shape: tuple[int, int, int], centre: tuple[float, float, float], radii: tuple[float, float, float]) -> np.ndarray:
    grid = np.meshgrid(*[np.arange(n, dtype=np.float32) for n in shape], indexing="ij")
    d = sum(((g - c) / r) ** 2 for g, c, r in zip(grid, centre, radii))
    return d <= 1.0


def write_case(directory: Path, name: str, size: int, lesion: tuple[str, str] | None, seed: int) -> None:
    """Writes <name>.nii.gz, <name>_labels.nii.gz and <name>.json; arrays are (x, y, z) with a RAS affine."""
    rng = np.random.default_rng(seed)
    shape = (size, size, size)
    c = size / 2
    hu = np.full(shape, -1000.0, np.float32)
    labels = np.zeros(shape, np.int16)
    body = _ellipsoid(shape, (c, c, c), (0.45 * size, 0.38 * size, 0.6 * size))
    hu[body] = 0.0
    liver = _ellipsoid(shape, (c - 0.15 * size, c, c), (0.18 * size, 0.15 * size, 0.2 * size)) & body
    kidney = _ellipsoid(shape, (c + 0.2 * size, c + 0.05 * size, c), (0.08 * size, 0.08 * size, 0.12 * size)) & body
    hu[liver], labels[liver] = 60.0, 1
    hu[kidney], labels[kidney] = 30.0, 2
    meta_labels: dict[str, dict[str, str]] = {"1": {"organ": "liver"}, "2": {"organ": "kidney"}}
    if lesion is not None:
        organ, kind = lesion
        host = liver if organ == "liver" else kidney
        centres = np.argwhere(host)
        centre = centres[rng.integers(len(centres))]
        sphere = _ellipsoid(shape, tuple(float(v) for v in centre), (0.06 * size,) * 3) & host  # type: ignore[arg-type]
        label = 7 if kind == "tumor" else 8
        hu[sphere], labels[sphere] = (-20.0 if kind == "tumor" else 5.0), label
        meta_labels[str(label)] = {"organ": organ, "kind": kind}
    hu += rng.normal(0.0, 10.0, shape).astype(np.float32) * body
    affine = np.diag([SPACING_MM, SPACING_MM, SPACING_MM, 1.0])
    nib.save(nib.Nifti1Image(hu, affine), str(directory / f"{name}.nii.gz"))
    nib.save(nib.Nifti1Image(labels, affine), str(directory / f"{name}_labels.nii.gz"))
    sidecar = {"modality": "CT", "body_region": ["abdomen"], "labels": meta_labels}
    (directory / f"{name}.json").write_text(json.dumps(sidecar), encoding="utf-8")


def write_standin_dataset(directory: Path, size: int = 32, seed: int = 7) -> Path:
    """Two healthy cases, two liver tumours (seen), one kidney cyst (held out as unseen)."""
    directory.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[str, tuple[str, str] | None]] = [
        ("healthy_0", None), ("healthy_1", None),
        ("liver_tumor_0", ("liver", "tumor")), ("liver_tumor_1", ("liver", "tumor")),
        ("kidney_cyst_0", ("kidney", "cystic")),
    ]
    for i, (name, lesion) in enumerate(plan):
        write_case(directory, name, size, lesion, seed + i)
    return directory
