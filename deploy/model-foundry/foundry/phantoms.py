"""Reading phantom cases written by `diffugts phantom` (NIfTI volumes, label maps and a JSON sidecar).

Layout the foundry expects in a data directory (one case per stem; the sidecar is the contract):

    <case>.nii.gz          image, CT in HU (MR in arbitrary units)
    <case>_labels.nii.gz   integer label map on the same grid
    <case>.json            {"modality": "CT", "body_region": ["abdomen"],
                            "labels": {"1": {"organ": "liver"},
                                       "7": {"organ": "liver", "kind": "tumor"}}}

A label with a `kind` is a lesion in `organ`; one without is healthy organ tissue. A case whose label map holds no lesion
voxel is healthy. Arrays are brought to the package's tensor layout (spec §1): LPS, [z, y, x] (x fastest).
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nibabel as nib
import numpy as np
from scipy import ndimage

REGIONS = ("head_neck", "chest", "abdomen", "pelvis")


@dataclass(frozen=True)
class Lesion:
    label: int
    organ: str
    kind: str


@dataclass
class PhantomCase:
    name: str
    image: np.ndarray  # float32 [z, y, x], LPS
    labels: np.ndarray  # int32 [z, y, x]
    spacing_xyz: tuple[float, float, float]
    modality: str
    body_region: tuple[str, ...]
    organs: dict[int, str] = field(default_factory=dict)
    lesions: list[Lesion] = field(default_factory=list)
    # The generator's seed (phantom.json), None for other layouts: two folders' cases of the same name are told apart by it.
    seed: int | None = None
    _present: list[Lesion] | None = field(default=None, repr=False, compare=False)

    def present_lesions(self) -> list[Lesion]:
        """Lesions with at least one voxel in the label map (computed once: the label map is never modified)."""
        if self._present is None:
            present = set(np.unique(self.labels).tolist())
            self._present = [lesion for lesion in self.lesions if lesion.label in present]
        return self._present

    @property
    def is_healthy(self) -> bool:
        return not self.present_lesions()

    def organ_ids(self, *names: str) -> list[int]:
        """The label values of the organs called `names` (an organ may have several, e.g. left and right kidney)."""
        return [i for i, name in self.organs.items() if name in names]

    def organ_with_lesion_ids(self, name: str) -> list[int]:
        """The label values of the organ called `name` and of the lesions it holds (the organ as anatomy, lesions and all)."""
        return self.organ_ids(name) + [l.label for l in self.lesions if l.organ == name]

    def lesion_mask(self, organ: str | None = None, kind: str | None = None) -> np.ndarray:
        labels = [l.label for l in self.lesions if (organ is None or l.organ == organ) and (kind is None or l.kind == kind)]
        return np.isin(self.labels, labels).astype(np.float32)


def to_lps_zyx(img: nib.Nifti1Image) -> tuple[np.ndarray, tuple[float, float, float]]:
    """Reorients to RAS with nibabel, flips x and y to LPS, and transposes (x, y, z) → (z, y, x)."""
    ras = nib.as_closest_canonical(img)
    data = np.asarray(ras.dataobj)
    spacing = tuple(float(s) for s in ras.header.get_zooms()[:3])
    lps = data[::-1, ::-1, :]
    return np.ascontiguousarray(lps.transpose(2, 1, 0)), spacing  # type: ignore[return-value]


def read_case(image_path: Path) -> PhantomCase:
    stem = image_path.name[: -len(".nii.gz")] if image_path.name.endswith(".nii.gz") else image_path.stem
    label_path = image_path.with_name(f"{stem}_labels.nii.gz")
    sidecar_path = image_path.with_name(f"{stem}.json")
    for p in (label_path, sidecar_path):
        if not p.exists():
            raise FileNotFoundError(f"case '{stem}': missing {p.name}")
    image, spacing = to_lps_zyx(nib.load(str(image_path)))
    labels, label_spacing = to_lps_zyx(nib.load(str(label_path)))
    if image.shape != labels.shape:
        raise ValueError(f"case '{stem}': image {image.shape} and labels {labels.shape} differ")
    meta = json.loads(sidecar_path.read_text(encoding="utf-8"))
    organs: dict[int, str] = {}
    lesions: list[Lesion] = []
    for key, entry in meta.get("labels", {}).items():
        if "kind" in entry:
            lesions.append(Lesion(int(key), str(entry["organ"]).lower(), str(entry["kind"]).lower()))
        else:
            organs[int(key)] = str(entry["organ"]).lower()
    regions = tuple(meta.get("body_region", ["abdomen"]))
    unknown = [r for r in regions if r not in REGIONS]
    if unknown:
        raise ValueError(f"case '{stem}': unknown body region(s) {unknown}; expected {REGIONS}")
    return PhantomCase(
        name=stem,
        image=image.astype(np.float32),
        labels=labels.astype(np.int32),
        spacing_xyz=spacing,  # type: ignore[arg-type]
        modality=str(meta.get("modality", "CT")).upper(),
        body_region=regions,
        organs=organs,
        lesions=lesions,
    )


# `diffugts phantom --out CASE` writes one folder per case: image.nii.gz (HU), labels.nii.gz (organ label map),
# lesions.nii.gz (lesion mask values) and phantom.json (label legend and lesion list). Organ names of the generator's
# legend map to the foundry's organ vocabulary here; lesion mask values become labels above LESION_LABEL_BASE.
GENERATOR_ORGANS = {
    "Liver": "liver", "Spleen": "spleen", "KidneyCortex": "kidney", "KidneyMedulla": "kidney", "RenalPelvis": "kidney",
    "Pancreas": "pancreas", "Lung": "lung", "Stomach": "stomach", "Bowel": "bowel", "Gallbladder": "gallbladder",
}
GENERATOR_REGIONS = {"abdomen": ("abdomen",), "thorax": ("chest",)}
LESION_LABEL_BASE = 100


def read_generator_case(folder: Path) -> PhantomCase:
    """Reads one case folder written by `diffugts phantom` (see GENERATOR_ORGANS for the layout)."""
    meta = json.loads((folder / "phantom.json").read_text(encoding="utf-8"))
    image, spacing = to_lps_zyx(nib.load(str(folder / "image.nii.gz")))
    labels, _ = to_lps_zyx(nib.load(str(folder / "labels.nii.gz")))
    labels = labels.astype(np.int32)
    organs = {int(entry["id"]): GENERATOR_ORGANS[entry["name"]] for entry in meta["labels"] if entry["name"] in GENERATOR_ORGANS}
    lesions: list[Lesion] = []
    lesion_path = folder / "lesions.nii.gz"
    if meta.get("lesions") and lesion_path.exists():
        lesion_values, _ = to_lps_zyx(nib.load(str(lesion_path)))
        for entry in meta["lesions"]:
            label = LESION_LABEL_BASE + int(entry["maskValue"])
            labels[lesion_values == int(entry["maskValue"])] = label
            lesions.append(Lesion(label, str(entry["organ"]).lower(), str(entry["kind"]).lower()))
    region = str(meta.get("region", "abdomen")).lower()
    if region not in GENERATOR_REGIONS:
        raise ValueError(f"case '{folder.name}': unknown generator region '{region}'")
    return PhantomCase(
        name=folder.name,
        image=image.astype(np.float32),
        labels=labels,
        spacing_xyz=spacing,  # type: ignore[arg-type]
        modality="CT",
        body_region=GENERATOR_REGIONS[region],
        organs=organs,
        lesions=lesions,
        seed=int(meta["seed"]) if "seed" in meta else None,
    )


def read_directory(directory: Path) -> list[PhantomCase]:
    """Cases as `<case>.nii.gz` + `<case>_labels.nii.gz` + `<case>.json`, or generator folders holding phantom.json."""
    return list(iter_directory(directory))


def iter_directory(directory: Path) -> Iterator[PhantomCase]:
    """read_directory's cases one at a time, each read when asked for: a caller that resamples them (Trainer with a
    model spacing) then never holds every original beside every resampled case. The folder is listed, and an empty one
    refused, before the first case is read."""
    folders = sorted(p.parent for p in directory.glob("*/phantom.json"))
    images = sorted(p for p in directory.glob("*.nii.gz") if not p.name.endswith("_labels.nii.gz"))
    if not folders and not images:
        raise FileNotFoundError(f"{directory}: no cases (generate them with `diffugts phantom --out {directory}/<case>`)")
    return itertools.chain((read_generator_case(f) for f in folders), (read_case(p) for p in images))


def read_named_case(directory: Path, name: str, seed: int | None = None) -> PhantomCase | None:
    """The case called `name` in `directory` in either layout read_directory reads; None when there is none, or when a
    `seed` is given and the generator's sidecar names another (told from phantom.json alone, no volume read)."""
    sidecar = directory / name / "phantom.json"
    if sidecar.exists():
        if seed is not None and json.loads(sidecar.read_text(encoding="utf-8")).get("seed") != seed:
            return None
        return read_generator_case(directory / name)
    image = directory / f"{name}.nii.gz"
    return read_case(image) if image.exists() else None


def resample_case(case: PhantomCase, spacing_mm: float) -> PhantomCase:
    """The case on an isotropic `spacing_mm` grid, as the node resamples a study into model space (TumorSegmentationPipeline
    .ModelGrid): the first voxel centre stays, the grid covers the centres of the last voxels ((n − 1)·s / spacing + 1
    voxels per axis, rounded down), the image is interpolated linearly and the labels take the nearest voxel, stored in
    one byte when every label fits (the generator's do: organs below 100, lesions 100 + n), else int16: at 1.5 mm a
    case is 8.3 M voxels, and train.py holds 376 of them."""
    sx, sy, sz = case.spacing_xyz
    shape = tuple(int((n - 1) * s / spacing_mm + 1e-6) + 1 for n, s in zip(case.image.shape, (sz, sy, sx)))
    coords = np.meshgrid(*[np.arange(m, dtype=np.float32) * (spacing_mm / s) for m, s in zip(shape, (sz, sy, sx))], indexing="ij", sparse=True)
    grid = np.broadcast_arrays(*coords)
    image = ndimage.map_coordinates(case.image, grid, order=1, mode="nearest").astype(np.float32)
    small = case.labels.size == 0 or (case.labels.min() >= 0 and case.labels.max() <= np.iinfo(np.uint8).max)
    labels = ndimage.map_coordinates(case.labels.astype(np.uint8 if small else np.int16), grid, order=0, mode="nearest")
    return PhantomCase(case.name, image, labels, (spacing_mm,) * 3, case.modality, case.body_region, case.organs, case.lesions, case.seed)  # type: ignore[arg-type]


def window_intensity(hu: np.ndarray, a_min: float = -1000.0, a_max: float = 1000.0) -> np.ndarray:
    """MAISI CT mapping (§5.8): HU window [a_min, a_max] → [0, 1], clipped."""
    return np.clip((hu - a_min) / (a_max - a_min), 0.0, 1.0).astype(np.float32)


def region_one_hot(regions: tuple[str, ...], scale: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    """Top (most cranial) and bottom (most caudal) body-region one-hots × scale (MAISI §5.5)."""
    order = [REGIONS.index(r) for r in regions]
    top, bottom = np.zeros(4, np.float32), np.zeros(4, np.float32)
    top[min(order)] = scale
    bottom[max(order)] = scale
    return top, bottom


def fit_to_multiple(volume: np.ndarray, size: tuple[int, int, int], fill: float) -> np.ndarray:
    """Centre-crops or pads (with `fill`) a [z, y, x] array to `size`."""
    out = np.full(size, fill, dtype=volume.dtype)
    src, dst = [], []
    for n, m in zip(volume.shape, size):
        if n >= m:
            start = (n - m) // 2
            src.append(slice(start, start + m))
            dst.append(slice(0, m))
        else:
            start = (m - n) // 2
            src.append(slice(0, n))
            dst.append(slice(start, start + n))
    out[tuple(dst)] = volume[tuple(src)]
    return out
