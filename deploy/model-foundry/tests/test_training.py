from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

import train
from foundry.phantoms import fit_to_multiple, iter_directory, read_directory
from foundry.training import CHECKPOINT, FINAL, Trainer, TrainingConfig, _random_crop, unet_error
from procedural_standin import write_case, write_standin_dataset

STEPS = {"vae": 2, "unet": 1, "aova": 2, "heads": 1}


def _cfg() -> TrainingConfig:
    return TrainingConfig(preset="tiny", crop=32, steps=dict(STEPS), inpainting_steps=3, checkpoint_every=1, aova_bank=6,
                          heads_bank=4)


@pytest.fixture(scope="module")
def trained_run(standin_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = tmp_path_factory.mktemp("run-uninterrupted")
    assert Trainer(read_directory(standin_data), run, _cfg(), None).run(max_minutes=30.0, log=lambda _: None)
    return run


def test_run_everyStage_writesFinalCheckpointAndLossCurves(trained_run: Path) -> None:
    final = torch.load(trained_run / FINAL)
    assert final["stage_steps"] == STEPS
    assert final["scale_factor"] is not None and final["scale_factor"] > 0
    assert final["prompts"] == ["liver lesion", "liver mass", "liver tumor"]  # kidney cysts are held out
    assert final["prompt_embeddings"]["model"].startswith("PLACEHOLDER")
    for stage in STEPS:
        png = trained_run / f"loss_{stage}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_heads_unseenOrganOrKind_neverTrained(standin_data: Path, tmp_path: Path) -> None:
    trainer = Trainer(read_directory(standin_data), tmp_path, _cfg(), None)
    names = [c.name for c in trainer.seen_lesion_cases()]
    assert names == ["liver_tumor_0", "liver_tumor_1"]
    assert [c.name for c in trainer.healthy_cases()] == ["healthy_0", "healthy_1"]


def test_init_modelSpacingFromAnIterator_resamplesEveryCaseAsTrainPyPassesThem(standin_data: Path, tmp_path: Path) -> None:
    """train.py hands the cases over one at a time (phantoms.iter_directory): each reaches the trainer on the model grid."""
    cfg = _cfg()
    cfg.model_spacing = 1.5
    originals = read_directory(standin_data)
    trainer = Trainer(iter_directory(standin_data), tmp_path, cfg, None)
    assert [c.name for c in trainer.cases] == [c.name for c in originals]
    for fine, case in zip(trainer.cases, originals):
        assert fine.spacing_xyz == (1.5, 1.5, 1.5)
        assert fine.image.shape == tuple(int((n - 1) * s / 1.5 + 1e-6) + 1 for n, s in zip(case.image.shape, case.spacing_xyz[::-1]))


def test_run_budgetExhausted_resumesToIdenticalWeights(standin_data: Path, trained_run: Path, tmp_path: Path) -> None:
    cases = read_directory(standin_data)
    first = Trainer(cases, tmp_path, _cfg(), None)
    assert not first.run(max_minutes=1e-9, log=lambda _: None)  # budget gone before the first step
    assert (tmp_path / CHECKPOINT).exists() and not (tmp_path / FINAL).exists()
    partial = Trainer(cases, tmp_path, _cfg(), None)
    partial.cfg.steps["unet"] = 0  # stop after the vae stage, as a budget would
    partial.cfg.steps["aova"] = 0
    partial.cfg.steps["heads"] = 0
    partial.run(max_minutes=30.0, log=lambda _: None)
    resumed = Trainer(cases, tmp_path, _cfg(), None)
    assert resumed.state.stage_steps == {"vae": 2, "unet": 0, "aova": 0, "heads": 0}
    assert resumed.run(max_minutes=30.0, log=lambda _: None)
    a, b = torch.load(trained_run / FINAL)["models"], torch.load(tmp_path / FINAL)["models"]
    for net in a:
        for key in a[net]:
            assert torch.equal(a[net][key], b[net][key]), f"{net}.{key} differs after resume"


def test_resume_changedConfig_refused(trained_run: Path, standin_data: Path) -> None:
    other = _cfg()
    other.seed = 99
    with pytest.raises(ValueError, match="another training config"):
        Trainer(read_directory(standin_data), trained_run, other, None)


def test_resume_checkpointFromBeforeAConfigFieldExisted_resumesWhileTheFieldKeepsItsDefault(trained_run: Path, standin_data: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    saved = torch.load(run / CHECKPOINT)
    del saved["config"]["unet_heal_twins"]  # written by a foundry that had no such field
    torch.save(saved, run / CHECKPOINT)
    assert Trainer(read_directory(standin_data), run, _cfg(), None).state.stage_steps == STEPS
    changed = _cfg()
    changed.unet_heal_twins = str(tmp_path)
    with pytest.raises(ValueError, match="another training config"):
        Trainer(read_directory(standin_data), run, changed, None)


def test_trainCli_noData_exitsWithClearError(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert train.main(["--data", str(tmp_path), "--run", str(tmp_path / "r"), "--preset", "tiny", "--crop", "32"]) == 2
    assert "diffugts phantom" in capsys.readouterr().err


def test_trainCli_inpaintingStrengthOutsideUnitInterval_exitsWithClearError(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert train.main(["--data", str(tmp_path), "--run", str(tmp_path / "r"), "--inpainting-strength", "0"]) == 2
    assert "--inpainting-strength must be in (0, 1]" in capsys.readouterr().err


def test_resume_changedStepTargets_continuesFromCheckpoint(trained_run: Path, standin_data: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    longer = _cfg()
    longer.steps["heads"] = STEPS["heads"] + 1
    resumed = Trainer(read_directory(standin_data), run, longer, None)
    assert resumed.state.stage_steps == STEPS  # the finished stages are kept, not retrained
    assert resumed.run(max_minutes=30.0, log=lambda _: None)
    assert torch.load(run / FINAL)["stage_steps"]["heads"] == STEPS["heads"] + 1


def test_headsInputs_negativeCrop_healthyTissueWithAFalseCandidate(standin_data: Path, tmp_path: Path) -> None:
    trainer = Trainer(read_directory(standin_data), tmp_path, _cfg(), None)
    healthy = trainer.healthy_cases()[0]
    _, lesion, labels, region = trainer._heads_inputs(healthy, np.random.default_rng(7), negative=True)
    assert lesion.sum() == 0  # nothing to find: the heads learn to say "normal"
    assert region.sum() > 0  # yet a candidate is inpainted, as a false positive of the anomaly map would be
    assert (labels > 0).any()  # the crop is centred in the body, not in the air around it
    tumour = trainer.seen_lesion_cases()[0]
    _, lesion, _, region = trainer._heads_inputs(tumour, np.random.default_rng(7), negative=False)
    assert lesion.sum() > 0 and torch.equal(region, lesion)


def test_initFrom_startsChosenNetworksFromAnotherRun(standin_data: Path, trained_run: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.init_from = str(trained_run / FINAL)
    cfg.init_models = ["autoencoder"]
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    source = torch.load(trained_run / FINAL)["models"]
    for key, value in trainer.models.autoencoder.state_dict().items():
        assert torch.equal(value, source["autoencoder"][key]), key
    assert any(not torch.equal(v, source["unet"][k]) for k, v in trainer.models.unet.state_dict().items())
    cfg.init_models = ["vae"]
    with pytest.raises(ValueError, match="unknown network 'vae'"):
        Trainer(read_directory(standin_data), tmp_path / "other", cfg, None)


def test_initFrom_scaleFactorKeptWhileTheEncoderStaysFrozen(standin_data: Path, trained_run: Path, tmp_path: Path) -> None:
    """The UNet's latent scale travels with it while the encoder is frozen (no VAE steps, or a decoder-only VAE stage);
    a VAE trained whole recomputes it, and the heads bank never inpaints with a made-up 1.0."""
    saved = torch.load(trained_run / FINAL)["scale_factor"]
    cfg = _cfg()
    cfg.init_from, cfg.init_models = str(trained_run / FINAL), ["autoencoder", "unet"]
    cfg.steps = {**STEPS, "vae": 3}
    cfg.vae_decoder_only = True
    assert Trainer(read_directory(standin_data), tmp_path / "decoder", cfg, None).state.scale_factor == saved
    cfg.vae_decoder_only = False
    whole = Trainer(read_directory(standin_data), tmp_path / "whole", cfg, None)
    assert whole.state.scale_factor is None
    computed = whole._scale_factor()
    assert computed > 0 and whole.state.scale_factor == computed


def test_initUnetFrom_joinsAnotherRunsUnetToInitFromsNetworks_onlyAtTheSameLatentScale(standin_data: Path, trained_run: Path, tmp_path: Path) -> None:
    other = torch.load(trained_run / FINAL)
    for p in other["models"]["unet"].values():
        p.add_(0.5)  # another UNet (as a healing run would leave it) on the same VAE
    torch.save(other, tmp_path / "healing.pt")
    cfg = _cfg()
    cfg.init_from, cfg.init_models = str(trained_run / FINAL), ["autoencoder", "unet", "aova"]
    cfg.init_unet_from = str(tmp_path / "healing.pt")
    joined = Trainer(read_directory(standin_data), tmp_path / "joined", cfg, None)
    base = torch.load(trained_run / FINAL)["models"]
    assert all(torch.equal(v, other["models"]["unet"][k]) for k, v in joined.models.unet.state_dict().items())
    assert all(torch.equal(v, base["aova"][k]) for k, v in joined.models.aova.state_dict().items())
    other["scale_factor"] *= 2  # a UNet of another latent space
    torch.save(other, tmp_path / "healing.pt")
    with pytest.raises(ValueError, match="latent scale factor"):
        Trainer(read_directory(standin_data), tmp_path / "refused", cfg, None)


def test_randomCrop_aroundACentre_placesItAnywhereInTheMiddleThird() -> None:
    # Lesions always in the middle of the crop teach the heads where the middle is, not what a lesion looks like.
    volume = np.zeros((96, 96, 96), np.float32)
    volume[48, 48, 48] = 1.0
    positions = []
    for seed in range(40):
        (crop,) = _random_crop([volume], 32, np.random.default_rng(seed), centre=np.array([48, 48, 48]))
        positions.append(np.argwhere(crop > 0)[0])
    offsets = np.abs(np.array(positions) - 16)
    assert offsets.max() >= 8 and offsets.max() <= 32 // 3 + 1


def test_aovaBank_lesionCropsCarryTheirPromptsTargetsAndBodyCropsMostlyNone(standin_data: Path, tmp_path: Path) -> None:
    trainer = Trainer(read_directory(standin_data), tmp_path, _cfg(), None)
    feats, targets, weights = trainer._aova_bank()
    assert [f.shape[0] for f in feats] == [6, 6, 6] and targets.shape[:2] == (6, len(trainer.seen_prompts))
    assert all(f.shape[2:] == targets.shape[2:] for f in feats)  # every level pooled onto the latent grid
    lesion_crops = targets[0::2]
    assert (lesion_crops.flatten(1).amax(dim=1) == 1).all()  # each lesion crop holds its lesion for its prompts
    assert lesion_crops.mean() < 0.5  # and mostly normal tissue around it
    assert ((weights == 0) | (weights == 1)).all()


def test_window_trainingConfig_mapsItsHuWindowToUnitRange(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.intensity_window = [-200.0, 300.0]
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    assert trainer.window(np.array([-1000.0, -200.0, 50.0, 300.0, 1200.0])).tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]


def test_aovaStage_textProjectionFrozen_sentenceGeometryKept(trained_run: Path) -> None:
    from foundry.reference_model import PRESETS, build_models

    final = torch.load(trained_run / FINAL)
    initial = build_models(PRESETS["tiny"], final["seed"]).aova.state_dict()
    trained = final["models"]["aova"]
    assert torch.equal(trained["text_projection.weight"], initial["text_projection.weight"])
    assert not torch.equal(trained["out.weight"], initial["out.weight"])  # the voxel side did train


def test_aovaBank_flip_mirrorsSomeCropsTogetherWithTheirTargets(standin_data: Path, tmp_path: Path) -> None:
    plain = Trainer(read_directory(standin_data), tmp_path / "plain", _cfg(), None)._aova_bank()
    cfg = _cfg()
    cfg.aova_flip = True
    flipped = Trainer(read_directory(standin_data), tmp_path / "flip", cfg, None)._aova_bank()
    assert not torch.equal(plain[1], flipped[1])  # some crops were mirrored
    mirrored = [i for i in range(plain[1].shape[0]) if not torch.equal(plain[1][i], flipped[1][i])]
    for i in mirrored:  # the target moved with the image: it equals the plain one mirrored on some in-plane axes
        assert any(torch.equal(flipped[1][i], torch.flip(plain[1][i], axes)) for axes in ([2], [3], [2, 3]))
    assert (flipped[1][0::2].flatten(1).amax(dim=1) == 1).all()


def test_headsBank_positiveCrops_lesionInpaintedAndTargeted(standin_data: Path, tmp_path: Path) -> None:
    trainer = Trainer(read_directory(standin_data), tmp_path, _cfg(), None)
    bank = trainer._heads_bank()
    assert {k: v.shape[0] for k, v in bank.items()} == {k: 4 for k in ("image", "healthy", "pixel", "feature", "anomaly", "lesion")}
    positives = [i for i in range(4) if bank["lesion"][i].sum() > 0]
    assert positives, "half the bank lies near a lesion"
    for i in positives:
        lesion = bank["lesion"][i] > 0
        # The candidate region always holds the lesion, so the pseudo-healthy image was regenerated there.
        assert float((bank["image"][i] - bank["healthy"][i]).abs()[lesion].mean()) > 0
        assert float(bank["pixel"][i][lesion].mean()) > 0


def test_headsAnomalyGain_setsTheRefinementSkipUnlessTheHeadIsLoaded(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.heads_anomaly_gain = 0.0
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    assert float(trainer.models.refinement.anomaly_gain) == 0.0
    assert float(Trainer(read_directory(standin_data), tmp_path / "default", _cfg(), None).models.refinement.anomaly_gain) == 1.0


def test_aovaOrganPrior_everyLesionOrgansPromptsMarkTheirOrganButNeverAHeldOutLesion(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.aova_organ_prior = 0.25
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    # The held-out kidney gets its generic prompts (its organ is anatomy, seen in healthy cases), not its lesion kind.
    assert {"kidney lesion", "kidney mass", "kidney tumor"} <= set(trainer.aova_prompts)
    assert "kidney cystic" not in trainer.aova_prompts and set(trainer.seen_prompts) <= set(trainer.aova_prompts)
    _, targets, _ = trainer._aova_bank()
    assert targets.shape[1] == len(trainer.aova_prompts)
    assert set(torch.unique(targets).tolist()) <= {0.0, 0.25, 1.0}
    kidney = [i for i, p in enumerate(trainer.aova_prompts) if p.startswith("kidney")]
    assert float(targets[:, kidney].max()) <= 0.25  # no kidney lesion is ever a target
    liver = trainer.aova_prompts.index("liver tumor")
    assert float((targets[0::2, liver] == 0.25).sum()) > 0  # the liver around a liver lesion is the organ prior
    assert (targets[0::2, liver].flatten(1).amax(dim=1) == 1).all()  # and the lesion itself is still 1


def test_headsResidualsOnly_trainsAHeadThatIgnoresTheAnomalyMapAndExportsThatWay(standin_data: Path, tmp_path: Path) -> None:
    from foundry.reference_model import load_trained

    cfg = _cfg()
    cfg.heads_anomaly_input = False
    cfg.steps = {"vae": 1, "unet": 1, "aova": 1, "heads": 2}
    assert Trainer(read_directory(standin_data), tmp_path, cfg, None).run(max_minutes=30.0, log=lambda _: None)
    models, _, _ = load_trained(tmp_path / FINAL)
    assert not models.refinement.config.anomaly_input and float(models.refinement.anomaly_gain) == 0.0


def test_headsSyntheticAnomalies_positiveCropsInSeenLesionOrgansOnly_aovaBlindOnRequest(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.heads_synthetic_fraction = 1.0
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    assert trainer.synthetic_organs() == ["liver"]  # the stand-in's seen lesions are in the liver; kidney is held out
    plain = Trainer(read_directory(standin_data), tmp_path / "plain", _cfg(), None)._heads_bank()
    bank = trainer._heads_bank()
    for i in range(1, 4, 2):  # every second crop is negative and untouched by the option
        assert torch.equal(bank["image"][i], plain["image"][i])
    for i in range(0, 4, 2):
        lesion = bank["lesion"][i] > 0
        assert lesion.any() and not torch.equal(bank["image"][i], plain["image"][i])
        # The synthetic lesion is inpainted like a real one: the pseudo-healthy image differs there.
        assert float((bank["image"][i] - bank["healthy"][i]).abs()[lesion].mean()) > 0
    # AOVA-blind: the same crops, but the AOVA map of a synthetic one is that of the crop without its anomaly.
    cfg.heads_synthetic_aova_blind = True
    blind = Trainer(read_directory(standin_data), tmp_path / "blind", cfg, None)._heads_bank()
    assert torch.equal(blind["image"], bank["image"]) and torch.equal(blind["lesion"], bank["lesion"])
    for i in range(1, 4, 2):
        assert torch.equal(blind["anomaly"][i], bank["anomaly"][i])
    for i in range(0, 4, 2):
        assert not torch.allclose(blind["anomaly"][i], bank["anomaly"][i])


def test_headsSyntheticOrgans_namedOrgansReceiveTheAnomalies(standin_data: Path, tmp_path: Path) -> None:
    """--heads-synthetic-organs puts the generic anomalies into the named organs, a held-out one included."""
    cfg = _cfg()
    cfg.heads_synthetic_fraction = 1.0
    cfg.heads_synthetic_organs = ["kidney"]
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    assert trainer.synthetic_organs() == ["kidney"]
    rng = np.random.default_rng(0)
    for case in trainer.cases[:3]:
        drawn = trainer._synthetic_inputs(case, rng)
        assert drawn is not None
        _, lesion, _, organ, _ = drawn
        assert organ == "kidney" and bool(lesion.any())


def test_vaeDecoderOnly_encoderUnchangedDecoderTrained_focusCropsCentredInTheOrgan(standin_data: Path, tmp_path: Path) -> None:
    """--vae-decoder-only keeps the latent space (encoder) and trains the decoder; --vae-focus-organs centres that share
    of the crops on the named organ."""
    cfg = _cfg()
    cfg.vae_decoder_only = True
    cfg.vae_focus_organs, cfg.vae_focus_fraction = ["kidney"], 1.0
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    ae = trainer.models.autoencoder
    encoder = {n: p.detach().clone() for n, p in ae.encoder.named_parameters()}
    decoder = {n: p.detach().clone() for n, p in ae.decoder.named_parameters()}
    trainer._vae_step(0)
    assert all(torch.equal(p, encoder[n]) for n, p in ae.encoder.named_parameters())
    assert any(not torch.equal(p, decoder[n]) for n, p in ae.decoder.named_parameters())
    rng = np.random.default_rng(0)
    case = trainer.cases[0]
    kidney = case.organ_ids("kidney")
    for _ in range(5):
        centre = trainer._vae_crop_centre(case, rng)
        assert centre is not None and int(case.labels[tuple(centre)]) in kidney
    cfg.vae_focus_fraction = 0.0
    assert Trainer(read_directory(standin_data), tmp_path / "anywhere", cfg, None)._vae_crop_centre(case, rng) is None


def test_unetStage_latentsEncodedInCropBlocksAndCroppedToUnetCrop(tmp_path: Path) -> None:
    """The UNet learns the latents the node inpaints: encoded in crop-sized blocks (the package's VAE tile), not as a
    whole volume, and cut to --unet-crop (the package's UNet tile)."""
    cfg = _cfg()
    cfg.unet_crop = 16  # the default would be 32 / 4
    trainer = Trainer(read_directory(write_standin_dataset(tmp_path / "data", size=64)), tmp_path / "run", cfg, None)
    z, case = trainer._healthy_latents()[0]
    size = tuple(-(-n // 32) * 32 for n in case.image.shape)
    x = torch.from_numpy(fit_to_multiple(trainer.window(case.image), size, 0.0))[None, None]  # type: ignore[arg-type]
    ae = trainer.models.autoencoder.eval()
    with torch.no_grad():
        first_block = ae.encode(x[:, :, :32, :32, :32])[0]
        whole = ae.encode(x)[0]
    f = 32 // ae.config.downsample_factor
    assert torch.allclose(z[:, :, :f, :f, :f], first_block, atol=1e-6)
    assert not torch.allclose(z, whole, atol=1e-3)
    seen: list[tuple[int, ...]] = []
    forward = trainer.models.unet.forward
    trainer.models.unet.forward = lambda x, *a, **k: (seen.append(tuple(x.shape[2:])), forward(x, *a, **k))[1]  # type: ignore[method-assign]
    trainer._unet_step(0)
    assert seen == [(16, 16, 16)]


def test_unetFocusOrgans_healthyCropsHoldTheOrganOnTheLatentGrid_offDrawsNothing(tmp_path: Path) -> None:
    """--unet-focus-organs centres that share of the UNet's healthy crops on the named organ: the latent voxel it
    gives lies in the organ (block-max of the organ on the latent grid, the case padded about its centre as
    encode_in_blocks pads it) and the crop holds it; without focus no draw is taken, so earlier runs keep their stream."""
    cfg = _cfg()
    cfg.unet_crop = 8
    cfg.unet_focus_organs, cfg.unet_focus_fraction = ["kidney"], 1.0
    trainer = Trainer(read_directory(write_standin_dataset(tmp_path / "data", size=64)), tmp_path / "run", cfg, None)
    z, case = trainer._healthy_latents()[0]
    factor = trainer.model_cfg.autoencoder.downsample_factor
    padded = tuple(n * factor for n in z.shape[2:])
    kidney = fit_to_multiple(np.isin(case.labels, case.organ_ids("kidney")).astype(np.uint8), padded, 0)
    latent_kidney = kidney.reshape(z.shape[2], factor, z.shape[3], factor, z.shape[4], factor).max(axis=(1, 3, 5))
    # the centre's own voxel marked, so a crop of this map holds the centre exactly when it holds a 1
    rng = np.random.default_rng(0)
    for _ in range(8):
        centre = trainer._unet_crop_centre(case, z, rng)
        assert centre is not None and latent_kidney[tuple(centre)] == 1
        marked = torch.zeros((1, 1) + tuple(z.shape[2:]))
        marked[(0, 0) + tuple(int(c) for c in centre)] = 1
        crop = trainer._crop_latent(marked, 8, rng, centre)
        assert tuple(crop.shape[2:]) == (8, 8, 8) and float(crop.sum()) == 1.0
    cfg.unet_focus_organs = []
    plain = Trainer(read_directory(tmp_path / "data"), tmp_path / "plain", cfg, None)
    a, b = np.random.default_rng(2), np.random.default_rng(2)
    assert plain._unet_crop_centre(case, z, a) is None and a.random() == b.random()


def test_headsCrop_bankCropsOfThatEdgeWithTheVaeInCropBlocks(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.heads_crop = 64
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    bank = trainer._heads_bank()
    assert tuple(bank["image"].shape[2:]) == (64, 64, 64) and tuple(bank["feature"].shape[2:]) == (16, 16, 16)
    cfg.heads_crop = 48
    with pytest.raises(ValueError, match="multiple of --crop"):
        Trainer(read_directory(standin_data), tmp_path / "bad", cfg, None)


def test_aovaFactorised_abnormalityInAnyOrganAndTheNamedOrganWithItsLesions_noHeldOutLesion(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.aova_factorised = True
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    prompts = trainer.aova_prompts
    assert {"kidney lesion", "kidney mass", "kidney tumor", "liver tumor"} <= set(prompts) and "kidney cystic" not in prompts
    _, targets, weights = trainer._aova_bank()
    p = len(prompts)
    assert targets.shape[1] == 3 * p and weights.shape[1] == 2 * p
    combined, abnormal, organ = targets[:, :p], targets[:, p:2 * p], targets[:, 2 * p:]
    kidney, liver = prompts.index("kidney mass"), prompts.index("liver tumor")
    lesion_crops = slice(0, None, 2)  # every second bank crop is centred on a (seen, liver) lesion
    # "kidney mass": the product is never a lesion (no kidney lesion is seen), but its abnormality factor is taught on
    # the liver lesions, and its organ factor on the kidney.
    assert float(combined[:, kidney].max()) == 0.0
    assert (abnormal[lesion_crops, kidney].flatten(1).amax(dim=1) == 1).all()
    assert torch.equal(abnormal[:, kidney], abnormal[:, liver])
    assert float(organ[:, kidney].sum()) > 0
    assert not torch.equal(organ[:, kidney], organ[:, liver])
    # The liver's organ target holds its lesion (a lesion lies inside the organ it is named by): a 16³ block of liver
    # with an 8³ lesion in it is liver throughout, the lesion's own latent voxels included.
    case = next(c for c in trainer.cases if any(l.organ == "liver" for l in c.lesions))
    lesion_label = next(l.label for l in case.lesions if l.organ == "liver")
    labels = torch.zeros(32, 32, 32, dtype=torch.int16)
    labels[:16, :16, :16] = case.organ_ids("liver")[0]
    labels[4:12, 4:12, 4:12] = lesion_label
    block, _ = trainer._prompt_targets(case, labels)
    assert (block[0, 2 * p + liver, :4, :4, :4] == 1).all() and float(block[0, 2 * p + liver].sum()) == 64
    assert float(block[0, liver, 1:3, 1:3, 1:3].min()) == 1  # and the product's target is the lesion


def test_aovaFactorised_initFromAOneFactorAova_loadsTheSharedWeightsAndTrains(standin_data: Path, trained_run: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.aova_factorised = True
    cfg.steps = {"vae": 0, "unet": 0, "aova": 2, "heads": 0}
    cfg.init_from = str(trained_run / FINAL)
    cfg.init_models = ["autoencoder", "unet", "aova"]
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    saved = torch.load(trained_run / FINAL)["models"]["aova"]
    assert torch.equal(trainer.models.aova.state_dict()["out.weight"], saved["out.weight"])
    before = trainer.models.aova.organ_out.weight.clone()
    projection = trainer.models.aova.organ_text_projection.weight.clone()
    assert trainer.run(max_minutes=30.0, log=lambda _: None)
    assert not torch.equal(trainer.models.aova.organ_out.weight, before)
    # The organ factor's text projection stays as built (the identity when the joint space is the text's), as the
    # abnormality factor's does: prompts never trained land where their sentence embeddings put them.
    assert torch.equal(trainer.models.aova.organ_text_projection.weight, projection)


def test_aovaIntensityJitter_eachOrganShiftedWithItsLesionsByOneOffset(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.aova_intensity_jitter_hu = 100.0
    cfg.intensity_window = [-1000.0, 1000.0]
    trainer = Trainer(read_directory(standin_data), tmp_path, cfg, None)
    case = next(c for c in trainer.cases if any(l.organ == "liver" for l in c.lesions))
    labels = torch.from_numpy(case.labels[:32, :32, :32].astype(np.int64))
    x = torch.from_numpy(trainer.window(case.image[:32, :32, :32]))[None, None]
    shifted = trainer._jitter_organs(x, labels, case, np.random.default_rng(3))
    delta = (shifted - x)[0, 0]
    liver = np.isin(labels.numpy(), case.organ_ids("liver") + [l.label for l in case.lesions if l.organ == "liver"])
    kidney = np.isin(labels.numpy(), case.organ_ids("kidney"))
    assert liver.any() and kidney.any()
    # One offset per organ, the same on its lesion; none outside the organs; at most 100 HU (0.05 of a 2000 HU window).
    assert torch.allclose(delta[torch.from_numpy(liver)], delta[torch.from_numpy(liver)][0], atol=1e-6)
    assert float(delta[torch.from_numpy(~(liver | kidney))].abs().max()) == 0.0
    assert 0 < abs(float(delta[torch.from_numpy(liver)][0])) <= 0.05 and float(delta[torch.from_numpy(kidney)][0]) != float(delta[torch.from_numpy(liver)][0])


def test_aovaOrganCrops_bodyCropsCentredInANamedOrgan_heldOutOnesIncluded(tmp_path: Path) -> None:
    data = write_standin_dataset(tmp_path / "data", size=64)  # larger than a crop, so where a crop is centred shows
    trainer = Trainer(read_directory(data), tmp_path / "run", _cfg(), None)
    case = next(c for c in trainer.cases if c.is_healthy)
    kidney_ids = case.organ_ids("kidney")
    for seed in range(8):
        _, _, labels, _ = trainer._heads_inputs(case, np.random.default_rng(seed), True, "kidney")
        assert np.isin(labels.numpy(), kidney_ids).sum() > 100  # the crop is drawn around a kidney voxel
    anywhere = [np.isin(trainer._heads_inputs(case, np.random.default_rng(s), True)[2].numpy(), kidney_ids).any() for s in range(12)]
    assert not all(anywhere)  # body crops drawn anywhere often miss the kidney


def test_headsOrganCrops_negativeCropsLieInTheOrganTheirPromptNames_heldOutOnesIncluded(tmp_path: Path) -> None:
    data = write_standin_dataset(tmp_path / "data", size=64)
    cfg = _cfg()
    cfg.aova_organ_prior, cfg.heads_organ_crops = 0.25, 1.0
    trainer = Trainer(read_directory(data), tmp_path / "run", cfg, None)
    pool = trainer.healthy_cases()
    named = []
    for seed in range(10):
        case, _, _, labels, _, prompt = trainer._heads_real_crop(pool, np.random.default_rng(seed), True)
        organ = trainer.prompt_organs[prompt]
        named.append(organ)
        assert np.isin(labels.numpy(), case.organ_ids(organ)).sum() > 100  # the crop is drawn around that organ
    assert "kidney" in named and "liver" in named  # the held-out organ's healthy tissue too, under its own prompts
    cfg.heads_organ_crops = 0.0
    plain = Trainer(read_directory(data), tmp_path / "plain", cfg, None)
    anywhere = [plain._heads_real_crop(pool, np.random.default_rng(s), True) for s in range(10)]
    assert not all(np.isin(c[3].numpy(), c[0].organ_ids(plain.prompt_organs[c[5]])).sum() > 100 for c in anywhere)


def test_trainCli_aovaExperimentFlags_reachTheSavedTrainingConfig(standin_data: Path, tmp_path: Path) -> None:
    run = tmp_path / "r"
    assert train.main(["--data", str(standin_data), "--run", str(run), "--preset", "tiny", "--crop", "32",
                       "--steps-vae", "0", "--steps-unet", "0", "--steps-aova", "1", "--steps-heads", "0", "--aova-bank", "2",
                       "--aova-factorised", "--aova-intensity-jitter-hu", "50", "--aova-organ-crops", "0.5",
                       "--aova-train-text-projection", "--threads", "1"]) == 0
    saved = torch.load(run / FINAL)
    cfg = saved["training_config"]
    assert cfg["aova_factorised"] and cfg["aova_intensity_jitter_hu"] == 50.0 and cfg["aova_organ_crops"] == 0.5
    assert cfg["aova_train_text_projection"] and saved["model_config"]["aova"]["factorised"]


def test_unetHealFraction_thatShareLearnsAnAnomalousCropsHealthySelf_restUnchanged(standin_data: Path, tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.unet_heal_fraction, cfg.unet_heal_bank = 0.5, 3
    cfg.batch["unet"] = 4
    trainer = Trainer(read_directory(standin_data), tmp_path / "heal", cfg, None)
    bank = trainer._heal_bank()
    assert len(bank) == 3
    size = trainer.unet_crop
    for sick, clean, mask, _ in bank:
        assert sick.shape == clean.shape == (1, trainer.model_cfg.autoencoder.latent_channels, size, size, size)
        assert mask.shape == (1, 1, size, size, size) and 0 < mask.sum() < mask.numel()
        assert not torch.allclose(sick, clean)  # the anomaly reached the latent
    trainer.cfg.unet_heal_weight = 5.0
    z_in, z0, weight, cond, _ = trainer._unet_batch(0)
    scale = trainer._scale_factor()
    for i in range(2):  # the healing half: an anomalous crop in, its healthy self as the target, its anomaly weighted
        pair = [(s, c, m) for s, c, m, _ in bank if torch.equal(z_in[i:i + 1], s * scale)]
        assert pair and torch.equal(z0[i:i + 1], pair[0][1] * scale)
        assert torch.equal(weight[i:i + 1], 1 + 4 * pair[0][2])
    assert torch.equal(z_in[2:], z0[2:]) and bool((weight[2:] == 1).all())  # the rest: plain denoising of healthy crops
    assert cond.spacing.shape == (4, 3)
    plain_cfg = _cfg()
    plain_cfg.batch["unet"] = 4
    plain = Trainer(read_directory(standin_data), tmp_path / "plain", plain_cfg, None)
    p_in, p0, p_weight, _, _ = plain._unet_batch(0)
    assert torch.equal(p_in, p0) and bool((p_weight == 1).all()) and plain._heal is None  # 0 (the default) builds no bank
    assert np.isfinite(trainer._unet_step(0)[0])


def test_unetHealTwins_eachSeenLesionCaseWithATwin_addsPairsOfItsRealLesionAgainstTheTwin(tmp_path: Path) -> None:
    data = write_standin_dataset(tmp_path / "data")
    twins = tmp_path / "twins"
    twins.mkdir()
    write_case(twins, "liver_tumor_0", 32, None, 9)  # the same anatomy without the lesion; liver_tumor_1 has no twin
    cfg = _cfg()
    cfg.unet_heal_fraction, cfg.unet_heal_bank, cfg.unet_heal_twin_crops = 0.5, 0, 3
    cfg.unet_heal_twins = str(twins)
    trainer = Trainer(read_directory(data), tmp_path / "run", cfg, None)
    bank = trainer._heal_bank()
    assert len(bank) == 3  # three crops of the one case with a twin, no synthetic pair
    for sick, clean, mask, _ in bank:
        assert 0 < mask.sum() < mask.numel() and not torch.allclose(sick, clean)
    other = Trainer(read_directory(data), tmp_path / "other", cfg, None)
    next(c for c in other.cases if c.name == "liver_tumor_0").seed = 5042  # another folder's case of the same name
    with pytest.raises(ValueError, match="no seen-lesion case has a twin"):
        other._heal_bank()
    for suffix in (".nii.gz", "_labels.nii.gz", ".json"):  # the case as its own twin: the pair is one crop of both
        shutil.copy(data / f"liver_tumor_0{suffix}", twins / f"liver_tumor_0{suffix}")
    same = Trainer(read_directory(data), tmp_path / "same", cfg, None)._heal_bank()
    assert [torch.equal(sick, clean) for sick, clean, _, _ in same] == [True] * 3
    assert [torch.equal(a[2], b[2]) for a, b in zip(bank, same)] == [True] * 3  # the same lesion-centred crops
    write_case(twins, "liver_tumor_1", 40, None, 10)  # not its twin: another grid
    with pytest.raises(ValueError, match="not the healthy twin"):
        Trainer(read_directory(data), tmp_path / "run2", cfg, None)._heal_bank()


def test_unetError_aUnetWithoutErrorOnAHealingPair_inpaintsTheAnomalyAwayCompletely(standin_data: Path, tmp_path: Path) -> None:
    """The healing share's objective is the one the sampler needs: a UNet whose error is zero on (anomalous latent,
    healthy latent) pairs, run by foundry.pipeline.inpaint from strength 0.6, returns the healthy latent inside the
    mask, not a mix that keeps 40 % of the anomaly; and a plain item's error stays MAISI's velocity error."""
    from foundry.pipeline import inpaint
    from foundry.training import conditioning_for

    trainer = Trainer(read_directory(standin_data), tmp_path, _cfg(), None)
    scheduler, big_t = trainer.scheduler, trainer.scheduler.config.num_train_timesteps
    gen = torch.Generator().manual_seed(3)
    healthy = torch.randn((1, 4, 4, 4, 4), generator=gen)
    sick = healthy.clone()
    sick[..., 1:3, 1:3, 1:3] += 2.0  # the anomaly
    mask = (sick != healthy).any(dim=1, keepdim=True).float()

    def healer(x: torch.Tensor, t: torch.Tensor, **_: torch.Tensor) -> torch.Tensor:
        s = (t / big_t).reshape(-1, 1, 1, 1, 1)
        return (healthy - x) / s  # the velocity whose one step to t = 0 lands on the healthy latent

    noise = torch.randn(sick.shape, generator=gen)
    t = torch.tensor([300.0])
    x_t = scheduler.add_noise(sick, noise, t)
    assert float(unet_error(healer(x_t, t), x_t, sick, healthy, noise, t / big_t).abs().max()) < 1e-5
    old_target = healthy - noise  # the velocity runs/h15 and hw15 were trained towards: its error is not zero here
    assert float(unet_error(old_target, x_t, sick, healthy, noise, t / big_t).abs().max()) > 0.5
    plain = scheduler.add_noise(healthy, noise, t)
    assert float(unet_error(healthy - noise, plain, healthy, healthy, noise, t / big_t).abs().max()) < 1e-6
    cond = conditioning_for(trainer.healthy_cases()[0])
    healed = inpaint(healer, scheduler, sick, mask, cond, 10, 0.6, torch.Generator().manual_seed(4))  # type: ignore[arg-type]
    assert torch.allclose(healed * mask, healthy * mask, atol=1e-4)
