from __future__ import annotations

from pathlib import Path

import pytest
import torch

from conftest import MAISI_KEYS
from foundry.autoencoder import Autoencoder
from foundry.diffusion_unet import DiffusionUNet
from foundry.maisi import (
    VARIANTS,
    CheckpointMismatch,
    load_autoencoder,
    load_unet,
    on_meta_device,
    read_key_manifest,
    state_dict_shapes,
    tiny_variant,
)

CASES = [
    ("ddpm_autoencoder_def.tsv", lambda: Autoencoder(VARIANTS["ddpm-ct"].autoencoder)),
    ("rflow_autoencoder_def.tsv", lambda: Autoencoder(VARIANTS["rflow-ct"].autoencoder)),
    ("ddpm_diffusion_unet_def.tsv", lambda: DiffusionUNet(VARIANTS["ddpm-ct"].unet)),
    ("rflow_diffusion_unet_def.tsv", lambda: DiffusionUNet(VARIANTS["rflow-ct"].unet)),
]


@pytest.mark.parametrize("manifest,build", CASES, ids=[c[0] for c in CASES])
def test_fullConfig_stateDict_equalsPublishedKeysAndShapes(manifest: str, build) -> None:  # type: ignore[no-untyped-def]
    expected = read_key_manifest(MAISI_KEYS / manifest)
    with on_meta_device():
        shapes = state_dict_shapes(build())
    assert sorted(set(expected) - set(shapes)) == []  # missing
    assert sorted(set(shapes) - set(expected)) == []  # unexpected
    assert {k: v for k, v in shapes.items() if expected[k] != v} == {}


def test_metaDevice_allocatesNothing_andRestoresConstructors() -> None:
    with on_meta_device():
        unet = DiffusionUNet(VARIANTS["rflow-ct"].unet)
    assert all(p.is_meta for p in unet.parameters())
    assert not torch.nn.Conv3d(1, 1, 1).weight.is_meta


@pytest.mark.parametrize("variant", ["ddpm-ct", "rflow-ct"])
def test_tinyVariant_keySet_equalsFullKeySet(variant: str) -> None:
    full = read_key_manifest(MAISI_KEYS / f"{variant.split('-')[0]}_diffusion_unet_def.tsv")
    small = tiny_variant(VARIANTS[variant])
    assert set(DiffusionUNet(small.unet).state_dict()) == set(full)
    assert set(Autoencoder(small.autoencoder).state_dict()) == set(read_key_manifest(MAISI_KEYS / "ddpm_autoencoder_def.tsv"))


def test_loadUnet_realLayoutCheckpoint_loadsStrictlyWithScaleFactor(tmp_path: Path) -> None:
    small = tiny_variant(VARIANTS["rflow-ct"])
    source = DiffusionUNet(small.unet)
    path = tmp_path / "diff_unet_3d_rflow-ct.pt"
    torch.save({"unet_state_dict": source.state_dict(), "scale_factor": torch.tensor(1.25), "epoch": 3,
                "num_train_timesteps": 1000}, path)
    target = DiffusionUNet(small.unet)
    assert load_unet(target, path) == pytest.approx(1.25)
    assert all(torch.equal(a, b) for a, b in zip(source.state_dict().values(), target.state_dict().values()))


def test_loadAutoencoder_wrappedOrPlain_bothLoad(tmp_path: Path) -> None:
    cfg = tiny_variant(VARIANTS["ddpm-ct"]).autoencoder
    sd = Autoencoder(cfg).state_dict()
    torch.save(sd, tmp_path / "plain.pt")
    torch.save({"unet_state_dict": sd}, tmp_path / "wrapped.pt")
    for name in ("plain.pt", "wrapped.pt"):
        load_autoencoder(Autoencoder(cfg), tmp_path / name)


def test_loadUnet_wrongVariant_namesMissingAndUnexpectedKeys(tmp_path: Path) -> None:
    rflow, ddpm = tiny_variant(VARIANTS["rflow-ct"]), tiny_variant(VARIANTS["ddpm-ct"])
    path = tmp_path / "rflow.pt"
    torch.save({"unet_state_dict": DiffusionUNet(rflow.unet).state_dict(), "scale_factor": torch.tensor(1.0)}, path)
    with pytest.raises(CheckpointMismatch) as err:
        load_unet(DiffusionUNet(ddpm.unet), path)
    assert "top_region_index_layer.0.weight" in err.value.missing
    assert "class_embedding.weight" in err.value.unexpected
    assert "missing: down_blocks.0.downsampler.op.conv.weight" in str(err.value)


def test_loadUnet_oldGenerativeLayout_hintsAtConversion(tmp_path: Path) -> None:
    small = tiny_variant(VARIANTS["ddpm-ct"])
    sd = DiffusionUNet(small.unet).state_dict()
    old = {k.replace(".attn.to_q.", ".to_q.").replace(".attn.to_k.", ".to_k.").replace(".attn.to_v.", ".to_v."): v for k, v in sd.items()}
    path = tmp_path / "old.pt"
    torch.save({"unet_state_dict": old, "scale_factor": torch.tensor(1.0)}, path)
    with pytest.raises(CheckpointMismatch, match="MONAI-GenerativeModels"):
        load_unet(DiffusionUNet(small.unet), path)


def test_loadUnet_noScaleFactor_refused(tmp_path: Path) -> None:
    small = tiny_variant(VARIANTS["ddpm-ct"])
    path = tmp_path / "bare.pt"
    torch.save({"unet_state_dict": DiffusionUNet(small.unet).state_dict()}, path)
    with pytest.raises(ValueError, match="scale_factor"):
        load_unet(DiffusionUNet(small.unet), path)
