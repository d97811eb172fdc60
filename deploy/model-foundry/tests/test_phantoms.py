from __future__ import annotations

import json
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

import foundry.phantoms as phantoms
from foundry.phantoms import PhantomCase, iter_directory, read_case, read_directory, region_one_hot, resample_case, window_intensity


def _write(tmp: Path, affine: np.ndarray, data: np.ndarray) -> Path:
    nib.save(nib.Nifti1Image(data.astype(np.float32), affine), str(tmp / "c.nii.gz"))
    nib.save(nib.Nifti1Image((data > 0).astype(np.int16), affine), str(tmp / "c_labels.nii.gz"))
    (tmp / "c.json").write_text(json.dumps({"modality": "CT", "body_region": ["chest", "abdomen"],
                                            "labels": {"1": {"organ": "liver", "kind": "tumor"}}}))
    return tmp / "c.nii.gz"


@pytest.mark.parametrize("flip_xy", [False, True], ids=["ras-affine", "lps-affine"])
def test_readCase_asymmetricVoxel_landsAtLpsZyxIndex(tmp_path: Path, flip_xy: bool) -> None:
    # Grid 4 (x) × 5 (y) × 6 (z), 2 mm. One bright voxel at the patient's right (R), anterior (A), superior end.
    data = np.zeros((4, 5, 6))
    sign = -1.0 if flip_xy else 1.0
    affine = np.diag([2.0 * sign, 2.0 * sign, 3.0, 1.0])
    # NIfTI world space is RAS+ (+x → patient right, +y → anterior). With a positive affine the right-most, anterior-most
    # voxel has the largest i and j; with the negated affine it has i = j = 0.
    i = 3 if not flip_xy else 0
    j = 4 if not flip_xy else 0
    data[i, j, 5] = 1000.0
    case = read_case(_write(tmp_path, affine, data))
    assert case.image.shape == (6, 5, 4)  # [z, y, x]
    assert case.spacing_xyz == (2.0, 2.0, 3.0)
    z, y, x = np.argwhere(case.image > 0)[0]
    # LPS: +x towards patient left, so the right-most voxel has x index 0; +y posterior, so anterior is y index 0.
    assert (z, y, x) == (5, 0, 0)
    assert case.lesions[0].organ == "liver" and not case.is_healthy


def test_readDirectory_missingLabels_namesTheFile(tmp_path: Path) -> None:
    nib.save(nib.Nifti1Image(np.zeros((2, 2, 2), np.float32), np.eye(4)), str(tmp_path / "a.nii.gz"))
    with pytest.raises(FileNotFoundError, match="a_labels.nii.gz"):
        read_directory(tmp_path)


def test_iterDirectory_readsEachCaseOnlyWhenAskedFor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """train.py resamples cases as they come, so it never holds every 3 mm original beside every 1.5 mm case (376
    cases at 1.5 mm fill 19 GB of a 24 GiB machine). An empty folder is refused at the call, before any case."""
    for name in ("case-0001", "case-0002", "case-0003"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "phantom.json").write_text("{}")
    read: list[str] = []
    monkeypatch.setattr(phantoms, "read_generator_case", lambda folder: read.append(folder.name) or folder.name)
    cases = iter_directory(tmp_path)
    assert read == []
    assert next(cases) == "case-0001" and read == ["case-0001"]
    assert list(cases) == ["case-0002", "case-0003"]
    assert read_directory(tmp_path) == ["case-0001", "case-0002", "case-0003"]
    with pytest.raises(FileNotFoundError, match="no cases"):
        iter_directory(tmp_path / "case-0001")


def test_windowAndRegions_followMaisi() -> None:
    assert window_intensity(np.array([-2000.0, -1000.0, 0.0, 1000.0, 3000.0])).tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    top, bottom = region_one_hot(("abdomen", "chest"))
    assert top.tolist() == [0, 100, 0, 0] and bottom.tolist() == [0, 0, 100, 0]


def test_resampleCase_halfTheSpacing_keepsTheVoxelCentresAndNearestLabels() -> None:
    """train.py --model-spacing: the node's model grid (first voxel centre kept, (n − 1)·s / spacing + 1 voxels per
    axis); the image is linear between the original centres, the labels the nearest voxel's."""
    image = np.arange(4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6)
    labels = np.zeros((4, 5, 6), np.int32)
    labels[1:3, 2, 3] = 7
    case = PhantomCase("c", image, labels, (3.0, 3.0, 3.0), "CT", ("abdomen",), {7: "liver"})
    fine = resample_case(case, 1.5)
    assert fine.image.shape == (7, 9, 11) and fine.labels.shape == (7, 9, 11) and fine.spacing_xyz == (1.5, 1.5, 1.5)
    np.testing.assert_allclose(fine.image[::2, ::2, ::2], image, atol=1e-4)
    np.testing.assert_allclose(fine.image[1, 0, 0], (image[0, 0, 0] + image[1, 0, 0]) / 2, atol=1e-4)
    assert fine.labels[2, 4, 6] == 7 and fine.labels[4, 4, 6] == 7 and fine.labels[2, 2, 6] == 0
    assert fine.organs == {7: "liver"} and fine.organ_ids("liver") == [7]


@pytest.mark.parametrize(("label", "itemsize"), [(107, 1), (300, 2)], ids=["fits-a-byte", "wider"])
def test_resampleCase_labels_takeOneByteWhenTheyFit(label: int, itemsize: int) -> None:
    """376 training cases at 1.5 mm: labels in one byte instead of two save 3 GB of a 24 GiB machine; a label a byte
    cannot hold keeps two, with its value."""
    labels = np.zeros((4, 5, 6), np.int32)
    labels[1:3, 2, 3] = label
    fine = resample_case(PhantomCase("c", np.zeros((4, 5, 6), np.float32), labels, (3.0,) * 3, "CT", ("abdomen",)), 1.5)
    assert fine.labels.dtype.itemsize == itemsize and fine.labels.dtype.kind in "iu"
    assert fine.labels[2, 4, 6] == label and int(fine.labels.max()) == label
