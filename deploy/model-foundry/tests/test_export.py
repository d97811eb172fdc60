from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

import export_maisi
import export_onnx
import make_tiny_package
from foundry import onnx_evaluator
from foundry.onnx_graphs import AovaGraph, DiffusionUNetGraph, Layout, RefinementGraph, TensorSpec, VaeDecoderGraph, VaeEncoderGraph
from foundry.package import check_signature
from foundry.package_weights import TRAINING_ONLY, PackageWeightsError, load_networks, load_package_weights
from foundry.phantoms import read_directory
from foundry.reference_model import build_models, model_config
from foundry.training import FINAL, Trainer, TrainingConfig

TOP_KEYS = {"format_version", "name", "version", "licence", "description", "intended_use", "intensity", "model_space",
            "tiling", "latent", "features", "scheduler", "conditioning", "prompts", "segmentation", "inpainting", "graphs",
            "provenance", "files"}
ROLES = {"vae_encoder", "vae_decoder", "diffusion_unet", "aova_head", "refinement_head"}
PIXEL_HEAD = "refinement_head_pixel_residual"  # optional: method (d)'s head
SCHEDULER_KEYS = {
    "rflow": {"type", "num_train_timesteps", "prediction_type", "steps_offset", "use_timestep_transform", "base_img_size_numel"},
    "ddpm": {"type", "num_train_timesteps", "beta_schedule", "beta_start", "beta_end", "prediction_type", "clip_sample", "steps_offset"},
}
COMMITTED = Path(__file__).resolve().parents[2] / "models" / "tiny"


def assert_valid_package(root: Path) -> dict[str, object]:
    """The checks of docs/model-package.md §8 that Python can make (ORT-based ones run on the C# side)."""
    m = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert set(m) == TOP_KEYS and m["format_version"] == 1
    assert ROLES <= set(m["graphs"]) <= ROLES | {PIXEL_HEAD}
    assert set(m["scheduler"]) == SCHEDULER_KEYS[m["scheduler"]["type"]]
    assert [f["name"] for f in m["features"]] == ["f1", "f2", "f3"]
    assert all(m["tiling"]["image_multiple"] % f["stride"] == 0 for f in m["features"])
    assert set(m["provenance"]) == {"foundry_commit", "seed", "training_config", "opset", "created_utc", "source_weights"}
    assert m["provenance"]["opset"] == 17
    named = {g["file"] for g in m["graphs"].values()} | ({m["prompts"]["lexicon"]} if m["prompts"]["lexicon"] else set())
    assert named <= set(m["files"])
    for name, digest in m["files"].items():
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest, name
    for role, g in m["graphs"].items():
        model = onnx.load(str(root / g["file"]))
        onnx.checker.check_model(model)
        assert model.opset_import[0].version == 17
        specs = lambda key: [TensorSpec(t["name"], t["dtype"], tuple(t["shape"])) for t in g[key]]  # noqa: E731
        check_signature(model, specs("inputs"), specs("outputs"), g["file"])
    golden = json.loads((root / "golden" / "golden.json").read_text(encoding="utf-8"))
    assert set(golden["graphs"]) == set(m["graphs"])
    for role, io in golden["graphs"].items():
        declared = {t["name"]: t for t in m["graphs"][role]["inputs"] + m["graphs"][role]["outputs"]}
        for name, file in {**io["inputs"], **io["outputs"]}.items():
            array = np.load(root / file)
            spec = declared[name]
            assert str(array.dtype) == spec["dtype"] and array.ndim == len(spec["shape"])
            assert all(d == n for d, n in zip(spec["shape"], array.shape) if isinstance(d, int))
            assert np.isfinite(array).all()
    return m


@pytest.fixture(scope="module")
def trained_final(standin_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = tmp_path_factory.mktemp("export-run")
    # The reference package's recipe from 0.4.0: organ prior in the AOVA, a refinement head that reads residuals only
    # (its graph keeps the anomaly_map input of the package interface).
    cfg = TrainingConfig(preset="tiny", crop=32, steps={"vae": 1, "unet": 1, "aova": 1, "heads": 1}, inpainting_steps=2, aova_bank=2,
                         aova_organ_prior=0.25, heads_anomaly_input=False)
    Trainer(read_directory(standin_data), run, cfg, None).run(30.0, log=lambda _: None)
    return run / FINAL


@pytest.fixture(scope="module")
def reference_package(trained_final: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "reference"
    assert export_onnx.main(["--checkpoint", str(trained_final), "--out", str(out), "--threads", "1", "--anomaly-mask-threshold", "0.7"]) == 0
    return out


def test_exportOnnx_trainedRun_writesValidPackageWithPlaceholderLexicon(reference_package: Path) -> None:
    m = assert_valid_package(reference_package)
    assert m["prompts"]["mode"] == "lexicon" and m["prompts"]["lexicon"] == "lexicon.json"
    lexicon = json.loads((reference_package / "lexicon.json").read_text())["embeddings"]
    assert set(lexicon) == {
        f"a CT scan {t} liver {finding}" for t in ("of healthy tissue without", "showing") for finding in ("tumor", "lesion", "mass")
    }
    assert "PLACEHOLDER" in (reference_package / "MODEL_CARD.md").read_text()
    assert m["latent"]["scale_factor"] > 0 and m["provenance"]["training_config"]["seed"] == 1234
    assert m["conditioning"]["modality_class"] == {"input": "class_label", "value": 1}
    assert (m["segmentation"]["anomaly_threshold"], m["segmentation"]["anomaly_mask_threshold"]) == (0.5, 0.7)


def test_exportOnnx_pixelHead_aSixthGraphThatIgnoresTheFeatureResidual_atItsOwnThreshold(
        standin_data: Path, trained_final: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--pixel-head adds method (d)'s head: trained on the checkpoint's very networks without the feature residual, it
    becomes refinement_head_pixel_residual with the full head's signature; a head that read the feature residual, or
    one trained on other networks, is refused."""
    cfg = TrainingConfig(preset="tiny", crop=32, steps={"vae": 0, "unet": 0, "aova": 0, "heads": 1}, inpainting_steps=2,
                         aova_organ_prior=0.25, heads_anomaly_input=False, heads_feature_input=False,
                         init_from=str(trained_final), init_models=["autoencoder", "unet", "aova", "refinement"])
    Trainer(read_directory(standin_data), tmp_path / "px", cfg, None).run(30.0, log=lambda _: None)
    out = tmp_path / "pkg"
    assert export_onnx.main(["--checkpoint", str(trained_final), "--out", str(out), "--threads", "1", "--probability-threshold",
                             "0.9", "--pixel-head", str(tmp_path / "px" / FINAL), "--pixel-head-probability-threshold", "0.8"]) == 0
    m = assert_valid_package(out)
    assert PIXEL_HEAD in m["graphs"] and m["graphs"][PIXEL_HEAD]["inputs"] == m["graphs"]["refinement_head"]["inputs"]
    assert (m["segmentation"]["probability_threshold"], m["segmentation"]["pixel_head_probability_threshold"]) == (0.9, 0.8)
    graph = onnx.load(str(out / m["graphs"][PIXEL_HEAD]["file"]))
    golden = json.loads((out / "golden" / "golden.json").read_text())["graphs"][PIXEL_HEAD]["inputs"]
    feeds = {name: np.load(out / file) for name, file in golden.items()}
    noisy = {**feeds, "feature_residual": np.random.default_rng(1).normal(size=feeds["feature_residual"].shape).astype(np.float32)}
    assert np.array_equal(onnx_evaluator.run(graph, feeds)["lesion_logit"], onnx_evaluator.run(graph, noisy)["lesion_logit"])

    with pytest.raises(SystemExit, match="trained with the feature residual"):
        export_onnx.main(["--checkpoint", str(trained_final), "--out", str(tmp_path / "no"), "--pixel-head", str(trained_final)])
    other = torch.load(tmp_path / "px" / FINAL)
    other["models"]["aova"] = {k: v + 1.0 for k, v in other["models"]["aova"].items()}
    torch.save(other, tmp_path / "other.pt")
    with pytest.raises(SystemExit, match="another aova"):
        export_onnx.main(["--checkpoint", str(trained_final), "--out", str(tmp_path / "no"), "--pixel-head", str(tmp_path / "other.pt")])


def test_exportOnnx_unetTileTileOverlapAndSampleAverage_theRunsUnetCropAndTheCommandLines(reference_package: Path, trained_final: Path, tmp_path: Path) -> None:
    """The node runs the UNet in tiles of latent.unet_tile_size: the extent the UNet was trained on (--unet-crop); its
    tiles overlap by tiling.overlap, 0.25 unless --tile-overlap says otherwise."""
    default = json.loads((reference_package / "manifest.json").read_text())
    assert default["latent"]["unet_tile_size"] == [16, 16, 16] and default["tiling"]["overlap"] == 0.25  # 2 × multiple
    final = torch.load(trained_final)
    final["training_config"]["unet_crop"] = 24
    checkpoint = tmp_path / "final.pt"
    torch.save(final, checkpoint)
    out = tmp_path / "pkg"
    assert export_onnx.main(["--checkpoint", str(checkpoint), "--out", str(out), "--threads", "1", "--tile-overlap", "0",
                             "--inpainting-average", "latent"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["latent"]["unet_tile_size"] == [24, 24, 24] and manifest["tiling"]["overlap"] == 0
    assert manifest["inpainting"]["average"] == "latent" and "average" not in default["inpainting"]  # decoded: the default


def test_exportOnnx_goldenOutputs_comeFromTheTrainedWeights(reference_package: Path, trained_final: Path) -> None:
    """Recomputing every graph's golden outputs from final.pt gives the saved values: the package holds the trained
    weights, not a fresh initialisation (the C# side then compares ONNX Runtime with these files)."""
    final = torch.load(trained_final)
    models = build_models(model_config("tiny", final["training_config"]), seed=final["seed"] + 1)  # different init, then the trained weights
    for name, module in models.modules().items():
        module.load_state_dict(final["models"][name])
    graphs = {
        "vae_encoder": VaeEncoderGraph(models.autoencoder, Layout.LPS_ZYX),
        "vae_decoder": VaeDecoderGraph(models.autoencoder, Layout.LPS_ZYX),
        "diffusion_unet": DiffusionUNetGraph(models.unet, Layout.LPS_ZYX),
        "aova_head": AovaGraph(models.aova),
        "refinement_head": RefinementGraph(models.refinement),
    }
    m = json.loads((reference_package / "manifest.json").read_text())
    golden = json.loads((reference_package / "golden" / "golden.json").read_text())
    for role, module in graphs.items():
        io = golden["graphs"][role]
        names = [t["name"] for t in m["graphs"][role]["inputs"]]
        args = [torch.from_numpy(np.load(reference_package / io["inputs"][n])) for n in names]
        with torch.no_grad():
            out = module.eval()(*args)
        outs = out if isinstance(out, tuple) else (out,)
        for spec, value in zip(m["graphs"][role]["outputs"], outs):
            saved = np.load(reference_package / io["outputs"][spec["name"]])
            np.testing.assert_allclose(value.numpy(), saved, rtol=1e-6, atol=1e-6, err_msg=f"{role}.{spec['name']}")


def test_exportMaisi_tinyRflow_validPackageWithClassLabelInRasLayout(tmp_path: Path) -> None:
    assert export_maisi.main(["--variant", "rflow-ct", "--tiny", "--out", str(tmp_path / "p"), "--threads", "1"]) == 0
    m = assert_valid_package(tmp_path / "p")
    assert {t["name"] for t in m["graphs"]["diffusion_unet"]["inputs"]} == {"latent", "timestep", "spacing", "class_label"}
    assert m["conditioning"]["body_region"] is None and m["scheduler"]["type"] == "rflow"
    assert m["provenance"]["source_weights"].startswith("random")


def test_exportMaisi_mismatchedCheckpoint_exitsNamingKeys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from foundry.diffusion_unet import DiffusionUNet
    from foundry.maisi import VARIANTS, tiny_variant

    small = tiny_variant(VARIANTS["rflow-ct"])
    torch.save({"unet_state_dict": DiffusionUNet(small.unet).state_dict(), "scale_factor": torch.tensor(1.0)}, tmp_path / "u.pt")
    torch.save({}, tmp_path / "ae.pt")
    code = export_maisi.main(["--variant", "ddpm-ct", "--autoencoder", str(tmp_path / "ae.pt"), "--unet", str(tmp_path / "u.pt"),
                              "--out", str(tmp_path / "p")])
    assert code == 2
    assert "missing: encoder.blocks.0.conv.conv.weight" in capsys.readouterr().err


def test_committedTinyPackages_valid_andUpToDate(tmp_path: Path) -> None:
    """deploy/models/tiny must be what make_tiny_package.py produces from this code (graphs, golden I/O, scheduler values)."""
    assert make_tiny_package.main(["--out", str(tmp_path)]) == 0
    for folder in ("reference-tiny", "maisi-ddpm-tiny"):
        committed = assert_valid_package(COMMITTED / folder)
        fresh = json.loads((tmp_path / folder / "manifest.json").read_text())
        stale = {k for k in fresh["files"] if k != "MODEL_CARD.md" and fresh["files"][k] != committed["files"].get(k)}
        assert not stale, f"{folder} is stale; rerun make_tiny_package.py ({sorted(stale)[:5]})"
    assert json.loads((COMMITTED / "scheduler_reference.json").read_text()) == json.loads((tmp_path / "scheduler_reference.json").read_text())


@pytest.mark.parametrize("folder,inputs,scheduler", [
    ("reference-tiny", {"latent", "timestep", "spacing", "top_region_index", "bottom_region_index", "class_label"}, "rflow"),
    ("maisi-ddpm-tiny", {"latent", "timestep", "spacing", "top_region_index", "bottom_region_index"}, "ddpm"),
])
def test_committedTinyPackages_unetInputsFollowConditioning(folder: str, inputs: set[str], scheduler: str) -> None:
    m = json.loads((COMMITTED / folder / "manifest.json").read_text())
    assert {t["name"] for t in m["graphs"]["diffusion_unet"]["inputs"]} == inputs
    assert m["scheduler"]["type"] == scheduler
    assert (m["conditioning"]["modality_class"] is None) == ("class_label" not in inputs)
    assert (m["conditioning"]["body_region"] is None) == ("top_region_index" not in inputs)


def test_packageWeights_readBackFromTheOnnxGraphs_areTheTrainedOnes(reference_package: Path, trained_final: Path, standin_data: Path, tmp_path: Path) -> None:
    """A package is what survives between training sessions: its weights, anonymous initialisers included, load back
    into the networks bit for bit (the log σ² head, in no graph, restarts at σ ≈ 0.03), and train.py --init-from takes
    the package folder."""
    final = torch.load(trained_final)
    models, checkpoint = load_package_weights(reference_package)
    assert checkpoint["scale_factor"] == pytest.approx(final["scale_factor"]) and checkpoint["preset"] == "tiny"
    for name, module in models.modules().items():
        for key, value in module.state_dict().items():
            if f"{name}.{key}" in TRAINING_ONLY:
                assert torch.all(value == TRAINING_ONLY[f"{name}.{key}"]), key
            else:
                assert torch.equal(value, final["models"][name][key]), f"{name}.{key}"
    cfg = TrainingConfig(preset="tiny", crop=32, steps={"vae": 0, "unet": 0, "aova": 0, "heads": 1}, inpainting_steps=2, aova_bank=2,
                         init_from=str(reference_package), init_models=["autoencoder", "unet", "aova"])
    trainer = Trainer(read_directory(standin_data), tmp_path / "from-package", cfg, None)
    assert torch.equal(trainer.models.unet.state_dict()["conv_in.conv.weight"], final["models"]["unet"]["conv_in.conv.weight"])
    assert trainer.state.scale_factor == pytest.approx(final["scale_factor"])


def test_loadNetworks_packageFolderOrCheckpoint_sameNetworksConfigAndScale(reference_package: Path, trained_final: Path) -> None:
    """The probes in tools/ take either: a package folder reads back through its graphs, a final.pt loads directly."""
    from_package, package_config, package_scale = load_networks(reference_package)
    from_checkpoint, checkpoint_config, checkpoint_scale = load_networks(trained_final)
    assert package_scale == pytest.approx(checkpoint_scale)
    assert package_config["preset"] == checkpoint_config["preset"] == "tiny"
    assert package_config["intensity_window"] == checkpoint_config["intensity_window"]
    for key, value in from_checkpoint.unet.state_dict().items():
        assert torch.equal(from_package.unet.state_dict()[key], value), key
    assert not from_package.unet.training and not from_checkpoint.autoencoder.training


def test_packageWeights_goldenOutputsOfOtherWeights_refusedNamingTheGraph(reference_package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(reference_package, copy)
    golden = json.loads((copy / "golden" / "golden.json").read_text())
    file = copy / golden["graphs"]["refinement_head"]["outputs"]["lesion_logit"]
    np.save(file, np.load(file) + 1.0)
    with pytest.raises(PackageWeightsError, match="refinement_head.lesion_logit"):
        load_package_weights(copy)


def test_exportOnnx_factorisedAova_graphIsTheProductAndItsWeightsReadBack(standin_data: Path, tmp_path: Path) -> None:
    """A factorised AOVA keeps the package interface (one anomaly logit per prompt): the graph computes
    logit(σ(abnormal)·σ(organ)), its golden output is the PyTorch head's, and both factors' weights read back."""
    cfg = TrainingConfig(preset="tiny", crop=32, steps={"vae": 1, "unet": 1, "aova": 2, "heads": 1}, inpainting_steps=2,
                         aova_bank=2, aova_factorised=True)
    Trainer(read_directory(standin_data), tmp_path / "run", cfg, None).run(30.0, log=lambda _: None)
    out = tmp_path / "pkg"
    assert export_onnx.main(["--checkpoint", str(tmp_path / "run" / FINAL), "--out", str(out), "--threads", "1"]) == 0
    m = assert_valid_package(out)
    final = torch.load(tmp_path / "run" / FINAL)
    models, _ = load_package_weights(out)
    assert models.aova.config.factorised
    for key, value in final["models"]["aova"].items():
        assert torch.equal(models.aova.state_dict()[key], value), key
    golden = json.loads((out / "golden" / "golden.json").read_text())["graphs"]["aova_head"]
    names = [t["name"] for t in m["graphs"]["aova_head"]["inputs"]]
    args = [torch.from_numpy(np.load(out / golden["inputs"][n])) for n in names]
    with torch.no_grad():
        abnormal, organ = models.aova.factor_logits_pooled(models.aova.pooled(*args[:3]), args[3])
    assert organ is not None
    expected = torch.sigmoid(abnormal) * torch.sigmoid(organ)
    saved = torch.sigmoid(torch.from_numpy(np.load(out / golden["outputs"][m["graphs"]["aova_head"]["outputs"][0]["name"]])))
    torch.testing.assert_close(saved, expected, rtol=0, atol=1e-5)


def _write_case_and_twin(root: Path) -> np.ndarray:
    """root/case-0001 (a liver filling a 64³ volume at 3 mm, a dark 6³ lesion in its first 32³ block) and its healthy
    twin root/twins/case-0001, in the generator's folder layout; returns the lesion mask."""
    import nibabel as nib

    affine = np.diag([3.0, 3.0, 3.0, 1.0])
    labels = np.zeros((64, 64, 64), np.int16)
    labels[4:60, 4:60, 4:60] = 5  # the liver fills the volume
    lesion = np.zeros(labels.shape, np.uint8)
    lesion[8:14, 8:14, 8:14] = 1  # in the first 32³ block
    meta = {"seed": 1, "region": "abdomen", "size": [64, 64, 64], "spacingMm": [3, 3, 3],
            "labels": [{"id": 0, "name": "Background"}, {"id": 5, "name": "Liver"}]}
    image = np.where(labels > 0, 60.0, -100.0).astype(np.float32)
    for name, data, lesions in (("case-0001", np.where(lesion > 0, -40.0, image), [{"maskValue": 1, "organ": "liver", "kind": "hypodense"}]),
                                ("twins/case-0001", image, [])):
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "phantom.json").write_text(json.dumps(dict(meta, lesions=lesions)))
        for file, values in (("image", data), ("labels", labels), ("lesions", lesion if lesions else np.zeros_like(lesion))):
            nib.save(nib.Nifti1Image(values, affine), folder / f"{file}.nii.gz")
    return lesion


def test_readNamedCase_generatorFolder_returnedOnlyForItsOwnSeed(tmp_path: Path) -> None:
    from foundry.phantoms import read_named_case

    _write_case_and_twin(tmp_path)
    twin = read_named_case(tmp_path / "twins", "case-0001", 1)
    assert twin is not None and twin.seed == 1 and not twin.lesions
    assert read_named_case(tmp_path / "twins", "case-0001", 2) is None  # another folder's case-0001
    assert read_named_case(tmp_path / "twins", "case-0002") is None


def test_twinLatentProbe_barelyInpainted_keepsTheLesionsWholeDifferenceOverNoFloor(trained_final: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """tools/twin_latent_probe.py: from a tiny strength the inpainting changes next to nothing, so the lesion's whole
    latent difference stays (kept ≈ 1, inpaint ≈ 1) and the twin's own inpainting stays at the twin (floor ≈ 0)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import twin_latent_probe

    _write_case_and_twin(tmp_path)
    assert twin_latent_probe.main([str(trained_final), str(tmp_path / "case-0001"), "--twins", str(tmp_path / "twins"),
                                   "--strength", "0.04"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    values = dict(zip(line.split()[1::2], map(float, line.split()[2::2])))
    assert line.startswith("case-0001:") and values["|Δ|"] > 0.01
    assert abs(values["kept"] - 1) < 0.15 and abs(values["inpaint"] - 1) < 0.15 and values["floor"] < 0.15, line


def test_healingOracle_twinDiffersOnlyAtTheLesion_perfectHealersResidualPrunesTheAovasFalsePositive(trained_final: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """tools/healing_oracle.py: the residual a perfect healer would leave (the healthy twin's reconstruction) is zero
    where the twin equals the case, so d keeps the AOVA's lesion and drops its false positive in another VAE block."""
    import nibabel as nib

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import healing_oracle

    affine = np.diag([3.0, 3.0, 3.0, 1.0])
    lesion = _write_case_and_twin(tmp_path)
    anomaly = np.where(lesion > 0, 0.95, 0.0).astype(np.float32)
    anomaly[40:46, 40:46, 40:46] = 0.95  # a false positive of the lesion's size, in the last block
    debug = tmp_path / "run" / "pass1" / "case-0001" / "debug"
    debug.mkdir(parents=True)
    nib.save(nib.Nifti1Image(anomaly, affine), debug / "liver_tumor_probability.nii.gz")
    assert healing_oracle.main([str(trained_final), str(tmp_path / "run"), str(tmp_path / "case-0001"), "--twins", str(tmp_path / "twins")]) == 0
    out = capsys.readouterr().out
    best = [line for line in out.splitlines() if line.startswith("c best")]
    assert len(best) == 3 and all(line.startswith("c best: t 0.3, 0.667; d best:") for line in best), out
    # With the twin's own reconstruction and with the images themselves, d finds the lesion alone (the blurred twin's
    # bound needs a VAE that reconstructs flat tissue flat, which a one-step stand-in does not).
    assert all(float(best[i].split(", ")[-1].split(" ")[0]) > 0.9 for i in (0, 2)), out


def test_gpuUnetExperiment_prepareThenRunOnCpu_probesTrainsAndSavesAnInitUnetCheckpoint(trained_final: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """tools/gpu_unet_experiment.py end to end on the CPU: the bundle holds the healthy latents and the twin boxes; from
    a tiny strength the probe keeps the lesion's whole difference over no floor (as twin_latent_probe); every variant
    trains and is probed; the package-shaped one is saved in the format train.py --init-unet-from reads."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import gpu_unet_experiment

    _write_case_and_twin(tmp_path)
    bundle, out = tmp_path / "bundle", tmp_path / "out"
    prepare = ["prepare", str(trained_final), "--healthy", str(tmp_path / "twins"), "--probe", f"liver={tmp_path / 'case-0001'}",
               "--twins", f"liver={tmp_path / 'twins'}"]
    assert gpu_unet_experiment.main([*prepare, "--out", str(tmp_path / "plain")]) == 0
    assert "1 healthy latents, 1 probe pairs" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="prepared without --heal-cases"):  # a healing share needs the pairs
        gpu_unet_experiment.main(["run", str(tmp_path / "plain"), "--out", str(out), "--variant", "a:1:package", "--heal-fraction", "0.5"])
    # the lesion case and its twin as healing pairs too: two crops of 8 latent voxels around the lesion
    assert gpu_unet_experiment.main([*prepare, "--out", str(bundle), "--heal-cases", str(tmp_path), "--heal-twins", str(tmp_path / "twins"),
                                     "--heal-crop", "8"]) == 0
    assert "2 healing pairs" in capsys.readouterr().out
    pairs = torch.load(bundle / "heal.pt")
    assert all(p["sick"].shape == (1, 4, 8, 8, 8) and 0 < float(p["mask"].sum()) < 512 and not torch.equal(p["sick"], p["healthy"]) for p in pairs)
    assert gpu_unet_experiment.main(["run", str(bundle), "--out", str(out), "--variant", "a:1:package", "w:2:scratch", "--seconds", "0.2",
                                     "--batch", "2", "--crop", "8", "--samples", "2", "--strengths", "0.04", "--steps", "30",
                                     "--heal-fraction", "0.5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    before = next(line for line in lines if line.startswith("before a liver s0.04:"))
    values = {f"{name} {n}": float(v) for name, n, v in re.findall(r"(\w+) (n\d+) (-?[\d.]+)", before)}
    assert abs(values["kept n1"] - 1) < 0.15 and values["floor n1"] < 0.15 and values["floor n2"] < 0.15, before
    assert [line.split(":")[0] for line in lines if line.startswith("after")] == ["after a liver s0.04", "after w liver s0.04"]
    summaries = [json.loads(line) for line in lines if line.startswith("{")]
    assert [(s["variant"], s["width"], s["heal_fraction"]) for s in summaries] == [("a", 1.0, 0.5), ("w", 2.0, 0.5)]
    assert all(s["steps"] >= 1 for s in summaries)
    saved, trained = torch.load(out / "unet-a.pt"), torch.load(trained_final)
    assert saved["models"]["unet"].keys() == trained["models"]["unet"].keys() and saved["scale_factor"] == trained["scale_factor"]
    assert not (out / "unet-w.pt").exists()  # another width is no package UNet
