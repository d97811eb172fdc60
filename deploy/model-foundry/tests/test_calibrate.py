from __future__ import annotations

import nibabel as nib
import numpy as np

import calibrate


def test_onGrid_finerModelGrid_readBackAtTheCaseVoxelCentres() -> None:
    """A package at 1.5 mm segments a 3 mm case on a model grid twice as fine (and padded): calibrate.py reads the
    node's probability at the case's voxel centres through both affines, as the node resamples before thresholding."""
    case = nib.Nifti1Image(np.zeros((4, 5, 6), np.float32), np.diag([3.0, 3.0, 3.0, 1.0]))
    fine = np.zeros((8, 10, 12), np.float32)
    fine[2, 4, 6] = 1.0  # the centre of case voxel (1, 2, 3)
    fine[3, 4, 6] = 0.5  # halfway between case voxels (1, 2, 3) and (2, 2, 3): no case voxel centre
    model = nib.Nifti1Image(fine, np.diag([1.5, 1.5, 1.5, 1.0]))
    values = calibrate.on_grid(model, case)
    assert values.shape == (4, 5, 6)
    assert values[1, 2, 3] == 1.0 and values.sum() == 1.0


def test_onGrid_sameGrid_isTheIdentity() -> None:
    data = np.random.default_rng(0).random((4, 5, 6)).astype(np.float32)
    affine = np.array([[-3.0, 0, 0, 10], [0, -3.0, 0, 20], [0, 0, 3.0, -5], [0, 0, 0, 1]])
    image = nib.Nifti1Image(data, affine)
    np.testing.assert_allclose(calibrate.on_grid(image, image), data, atol=1e-6)


def test_residualMasks_areTheAovaMaskWhereTheResidualExceedsEachTau() -> None:
    """Method d's mask for any τ from one run of c and one of d: c's voxels (a > t) whose residual exceeds τ, as the node
    thresholds p = min(1, a / 2t, r / 2τ) at 0.5."""
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    a = np.zeros((3, 3, 3), np.float32)
    a[1, :, :] = 0.9  # c's mask at t = 0.5: the middle slab
    # The node writes the residual of the inpainted box only: here rows 1-2 of every slice, its origin one row on.
    r = np.zeros((3, 2, 3), np.float32)
    r[:, 0, :] = 0.04  # residual above τ = 0.03 in the middle row of each slice only
    r[:, 1, :] = 0.02
    box = affine.copy()
    box[1, 3] = 2.0
    mask, low = calibrate.residual_masks(nib.Nifti1Image(a, affine), nib.Nifti1Image(r, box), 0.5, [0.03, 0.01], nib.Nifti1Image(a, affine))
    expected = np.zeros((3, 3, 3), bool)
    expected[1, 1, :] = True
    np.testing.assert_array_equal(mask, expected)
    assert low.sum() == 6 and not low[1, 0, :].any()


def _ablation_grid_fixture(tmp_path, residual: np.ndarray):  # type: ignore[no-untyped-def]
    """A 6³ liver case whose lesion (2³ voxels, 0.6 on a flat 0.5) the AOVA marks together with a false positive of the
    same size; calibrate.py's pass-1 map and pass-3 debug maps (node residual, model image, pseudo-healthy image with
    the lesion healed) on the case's own grid. Returns the tool's module."""
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import ablation_threshold_grid

    affine = np.diag([3.0, 3.0, 3.0, 1.0])
    case = tmp_path / "cases" / "case-0001"
    case.mkdir(parents=True)
    (case / "phantom.json").write_text(json.dumps({"lesions": [{"organ": "liver", "kind": "hypodense"}]}))
    truth = np.zeros((6, 6, 6), np.uint8)
    truth[1:3, 1:3, 1:3] = 1
    nib.save(nib.Nifti1Image(truth, affine), case / "lesions.nii.gz")
    anomaly = np.zeros((6, 6, 6), np.float32)
    anomaly[1:3, 1:3, 1:3] = 0.95  # the lesion
    anomaly[4:6, 4:6, 4:6] = 0.95  # and a false positive of the same size: c's Dice 2·8 / (8 + 16) below 0.95
    image = np.where(truth > 0, 0.6, 0.5).astype(np.float32)
    maps = (("pass1", "liver_tumor_probability", anomaly), ("pass3", "liver_tumor_pixel_residual", residual),
            ("pass3", "model_image", image), ("pass3", "liver_tumor_pseudo_healthy", np.full_like(image, 0.5)))
    for folder, name, data in maps:
        debug = tmp_path / "run" / folder / "case-0001" / "debug"
        debug.mkdir(parents=True, exist_ok=True)
        nib.save(nib.Nifti1Image(data, affine), debug / f"{name}.nii.gz")
    return ablation_threshold_grid


def test_ablationThresholdGrid_residualThatPrunesTheAovasFalsePositive_dBeatsC(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """tools/ablation_threshold_grid.py reads calibrate.py's maps: c's best anomaly threshold against d's best (t, τ)."""
    truth = np.zeros((6, 6, 6), np.float32)
    truth[1:3, 1:3, 1:3] = 1
    tool = _ablation_grid_fixture(tmp_path, truth * 0.08)  # the node's residual marks the lesion only
    assert tool.main([str(tmp_path / "run"), str(tmp_path / "cases")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("c best: t 0.3, 0.667; d best: t 0.3 τ 0.005, 1.000"), last
    (tmp_path / "empty").mkdir()
    assert tool.main([str(tmp_path / "run"), str(tmp_path / "empty")]) == 2  # no phantom: a clear error
    assert tool.main([str(tmp_path / "run"), str(tmp_path / "missing")]) == 2


def test_ablationThresholdGrid_signedAndMedianResiduals_readTheImagesNotTheNodesResidual(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """With the node's residual flat, d gains nothing; the signed |I − H| (H heals the lesion) and a median filter of
    I (a 5³ cube erases a 2³ blob) each mark the lesion and prune the AOVA's false positive."""
    tool = _ablation_grid_fixture(tmp_path, np.full((6, 6, 6), 0.08, np.float32))
    for options, d_best in (([], "t 0.3 τ 0.005, 0.667"), (["--residual", "signed"], "t 0.3 τ 0.005, 1.000"),
                            (["--residual", "signed", "--sigma", "0.5"], "t 0.3 τ 0.005, 1.000"),
                            (["--residual", "median", "--median-size", "5"], "t 0.3 τ 0.005, 1.000")):
        assert tool.main([str(tmp_path / "run"), str(tmp_path / "cases"), *options]) == 0
        last = capsys.readouterr().out.strip().splitlines()[-1]
        assert last.startswith(f"c best: t 0.3, 0.667; d best: {d_best}"), (options, last)


def test_setSegmentation_theCopyInOutCarriesEveryChosenThreshold(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """calibrate.py leaves OUT/package as the calibrated package: each pass's thresholds land in its manifest and the
    rest of the manifest is kept (evaluating that copy once measured the head at the export's default 0.5)."""
    import json

    manifest = {"version": "0.5.5", "segmentation": {"anomaly_threshold": 0.3, "probability_threshold": 0.5, "min_lesion_volume_ml": 0.1}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    calibrate.set_segmentation(tmp_path, anomaly_threshold=0.9, anomaly_mask_threshold=0.95)
    calibrate.set_segmentation(tmp_path, probability_threshold=0.97)
    written = json.loads((tmp_path / "manifest.json").read_text())
    assert written["segmentation"] == {"anomaly_threshold": 0.9, "probability_threshold": 0.97, "min_lesion_volume_ml": 0.1,
                                       "anomaly_mask_threshold": 0.95}
    assert written["version"] == "0.5.5"
