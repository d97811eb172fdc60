from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "gpu_stage_timing.py"


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gpu_stage_timing", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tinyOnCpu_reportsEveryStageOfThePipeline(capsys: pytest.CaptureFixture[str]) -> None:
    assert _tool().main(["--device", "cpu", "--tiny", "--size", "64x64x32", "--box", "32", "--steps", "4"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["seconds"]) == ["encode", "aova", "inpaint", "decode", "residuals", "refine"]
    assert all(v > 0 for v in report["seconds"].values())
    assert report["unet_calls"] == 3 and report["size_xyz"] == [64, 64, 32]  # ⌈4 × 0.6⌉, as the node counts


def test_trainBatch_timesATrainingStepOfBothUnets(capsys: pytest.CaptureFixture[str]) -> None:
    assert _tool().main(["--device", "cpu", "--tiny", "--size", "64x64x32", "--box", "32", "--steps", "2",
                         "--train-batch", "2", "--train-crop", "8"]) == 0
    train = json.loads(capsys.readouterr().out)["train"]
    assert (train["batch"], train["latent_crop"]) == (2, 8)
    assert set(train["seconds_per_step"]) == {"maisi_unet", "reference_unet"} and all(v > 0 for v in train["seconds_per_step"].values())


def test_boxLargerThanVolume_exitsTwo(capsys: pytest.CaptureFixture[str]) -> None:
    assert _tool().main(["--device", "cpu", "--tiny", "--size", "64x64x32", "--box", "64"]) == 2
    assert "multiples of 32" in capsys.readouterr().err
