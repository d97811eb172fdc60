"""Tiny random-weight packages and scheduler reference values for the C# tests (committed under deploy/models/tiny/).

    /usr/bin/python3 make_tiny_package.py --out ../models/tiny

Writes:
  reference-tiny/          our reference layout (LPS [z, y, x] graphs; rflow; spacing + body region + modality)
  maisi-ddpm-tiny/         MAISI v1 layout at tiny width (RAS graphs wrapped to LPS; DDPM; spacing + body region)
  scheduler_reference.json DDPM / DDIM / rectified-flow reference values
Each package has golden/ inputs and PyTorch outputs for every graph (parity is asserted by the C# side).
Weights are random (seeded); the packages test plumbing, never accuracy.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import torch

from foundry.maisi import MAISI_TINY_VARIANTS, export_maisi_package
from foundry.layers import perturb_zero_initialised
from foundry.onnx_graphs import Layout
from foundry.package import PackageNetworks, export_package
from foundry.prompts import ABNORMAL_TEMPLATE, NORMAL_TEMPLATE
from foundry.reference_model import PRESETS, ReferenceModels, build_models
from foundry.scheduler_reference import scheduler_reference

TINY_SEED = 20261128
TINY_AOVA_BIAS = 8.0


def minilm_prompts(dim: int) -> dict[str, object]:
    return {"mode": "minilm", "embedding_dim": dim, "normal_template": NORMAL_TEMPLATE,
            "abnormal_template": ABNORMAL_TEMPLATE, "text_encoder": None, "lexicon": None}


def tiny_model_card(name: str, layout: str) -> str:
    return (f"# {name}\n\nRandom weights (seed {TINY_SEED}) in the {layout} layout, for the C# tests only: graph "
            "signatures, manifest validation and numerical parity against `golden/`. It segments nothing (the reference-tiny "
            f"AOVA bias is {TINY_AOVA_BIAS}, so it marks the whole volume and every output exists).\n")


def reference_tiny_models() -> ReferenceModels:
    """The networks of reference-tiny, exactly as committed (the foundry's tests rebuild them to check the graphs)."""
    models = build_models(PRESETS["tiny"], TINY_SEED)
    perturb_zero_initialised(models.unet, TINY_SEED)
    # Every latent voxel a candidate (sigmoid(8 ± τ·|d|) ≫ 0.5), so the C# tests always get lesions, SEG segments, SC
    # overlays and previews to inspect, whatever the random weights; the prompt still moves the logits.
    with torch.no_grad():
        models.aova.bias.fill_(TINY_AOVA_BIAS)
    return models


def make_reference_tiny(out: Path) -> Path:
    cfg = PRESETS["tiny"]
    models = reference_tiny_models()
    nets = PackageNetworks(models.autoencoder, models.unet, models.aova, models.refinement, Layout.LPS_ZYX)
    return export_package(
        nets, out, name="diffugts-reference-tiny", version="0.0.0-test", licence="LicenseRef-DiffuGts-test-fixture",
        description="Tiny random-weight package in the DiffuGts reference layout (tests only).",
        modality="CT", body_regions=["abdomen"], spacing_mm=[1.5, 1.5, 1.5], scale_factor=1.0,
        scheduler=cfg.scheduler.to_dict(), modality_class=1, prompts=minilm_prompts(cfg.aova.embedding_dim), lexicon=None,
        inpainting={"strength": 0.6, "steps": 4, "eta": 0.0, "latent_margin_voxels": 2, "residual_reference": "reconstruction"},
        seed=TINY_SEED, training_config={"preset": "tiny", "trained": False, "model_config": cfg.to_dict()},
        source_weights=f"random (seed {TINY_SEED})", model_card=tiny_model_card("diffugts-reference-tiny", "reference (LPS)"),
    )


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "models" / "tiny")
    args = p.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("reference-tiny", *MAISI_TINY_VARIANTS):
        shutil.rmtree(out / folder, ignore_errors=True)
    print(make_reference_tiny(out / "reference-tiny"))
    for variant in MAISI_TINY_VARIANTS:
        print(export_maisi_package(variant, out / variant, checkpoints=None, tiny=True, seed=TINY_SEED))
    ref = out / "scheduler_reference.json"
    ref.write_text(json.dumps(scheduler_reference(), indent=1) + "\n", encoding="utf-8")
    print(ref)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
