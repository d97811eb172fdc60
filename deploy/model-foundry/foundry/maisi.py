"""MAISI (NVIDIA, MONAI) networks rebuilt as our own modules: variants, strict checkpoint loading, key manifests.

The rebuilt `Autoencoder` and `DiffusionUNet` reproduce the state-dict keys and shapes of MONAI's
`AutoencoderKlMaisi` and `DiffusionModelUNetMaisi` exactly (checked against `research/maisi-state-dict-keys/*.tsv`),
so published checkpoints load strictly. Checkpoint layouts follow research notes §5.6.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

import torch
from torch import nn

from foundry.aova import AovaConfig, AovaHead
from foundry.autoencoder import MAISI_AUTOENCODER, Autoencoder, AutoencoderConfig
from foundry.layers import perturb_zero_initialised
from foundry.diffusion_unet import MAISI_DDPM_UNET, MAISI_RFLOW_UNET, DiffusionUNet, DiffusionUNetConfig
from foundry.onnx_graphs import Layout
from foundry.package import PackageNetworks, export_package
from foundry.prompts import ABNORMAL_TEMPLATE, NORMAL_TEMPLATE
from foundry.reference_model import PROMPT_EMBEDDING_DIM
from foundry.refinement import RefinementConfig, RefinementHead
from foundry.schedulers import DdimConfig, DdpmConfig, RectifiedFlowConfig


@dataclass(frozen=True)
class MaisiVariant:
    name: str
    autoencoder: AutoencoderConfig
    unet: DiffusionUNetConfig
    scheduler: DdpmConfig | DdimConfig | RectifiedFlowConfig
    modality: str
    modality_class: int
    licence: str
    weights: str
    inpainting_steps: int


VARIANTS: dict[str, MaisiVariant] = {
    "ddpm-ct": MaisiVariant("ddpm-ct", MAISI_AUTOENCODER, MAISI_DDPM_UNET, DdpmConfig(), "CT", 1,
                            "NVIDIA Open Model License", "nvidia/NV-Generate-CT models/autoencoder_v1.pt + models/diff_unet_3d_ddpm-ct.pt", 1000),
    "rflow-ct": MaisiVariant("rflow-ct", MAISI_AUTOENCODER, MAISI_RFLOW_UNET, RectifiedFlowConfig(), "CT", 1,
                             "NVIDIA Open Model License", "nvidia/NV-Generate-CT models/autoencoder_v1.pt + models/diff_unet_3d_rflow-ct.pt", 30),
    "rflow-mr": MaisiVariant("rflow-mr", MAISI_AUTOENCODER, MAISI_RFLOW_UNET, RectifiedFlowConfig(), "MR", 8,
                             "NVIDIA Non-Commercial License", "nvidia/NV-Generate-MR models/autoencoder_v2.pt + models/diff_unet_3d_rflow-mr.pt", 30),
}

# Tiny widths, every structural flag kept; channels grow strictly so the key set equals the full one (notes §7).
TINY_AE_CHANNELS = (2, 4, 6)
TINY_UNET_CHANNELS = (2, 4, 6, 8)
# Committed for the C# tests; the v2 (rflow) tiny export is exercised by the foundry's own tests instead, to keep the
# committed fixtures small (reference-tiny already covers rectified flow with a class label).
MAISI_TINY_VARIANTS = {"maisi-ddpm-tiny": "ddpm-ct"}


def tiny_variant(variant: MaisiVariant) -> MaisiVariant:
    return replace(
        variant,
        autoencoder=replace(variant.autoencoder, num_channels=TINY_AE_CHANNELS, norm_num_groups=2),
        unet=replace(variant.unet, num_channels=TINY_UNET_CHANNELS, num_head_channels=(0, 0, 2, 2), norm_num_groups=2),
    )


# ---- key manifests ----------------------------------------------------------------------------------------------

def read_key_manifest(path: Path) -> dict[str, tuple[int, ...]]:
    """`key<TAB>shape` lines (one `#` comment first) → {key: shape}."""
    out: dict[str, tuple[int, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, shape = line.split("\t")
        out[key] = tuple(int(v) for v in shape.strip("()").split(",") if v.strip())
    return out


_META_CLASSES = (nn.Conv3d, nn.Linear, nn.GroupNorm, nn.Embedding)


@contextlib.contextmanager
def on_meta_device() -> Iterator[None]:
    """Builds parameters on the `meta` device (shapes, no memory). torch 1.13 has no default-device context, so the
    constructors of the four layer types these networks use get `device="meta"` for the duration."""
    originals = {cls: cls.__init__ for cls in _META_CLASSES}

    def patched(original):  # type: ignore[no-untyped-def]
        def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            kwargs.setdefault("device", "meta")
            original(self, *args, **kwargs)
        return init

    try:
        for cls, original in originals.items():
            cls.__init__ = patched(original)  # type: ignore[method-assign]
        yield
    finally:
        for cls, original in originals.items():
            cls.__init__ = original  # type: ignore[method-assign]


def state_dict_shapes(module: nn.Module) -> dict[str, tuple[int, ...]]:
    return {k: tuple(v.shape) for k, v in module.state_dict().items()}


# ---- checkpoints ------------------------------------------------------------------------------------------------

class CheckpointMismatch(ValueError):
    """A checkpoint's keys or shapes differ from the rebuilt network; names every offending key."""

    def __init__(self, what: str, missing: list[str], unexpected: list[str], wrong_shape: list[str]) -> None:
        self.missing, self.unexpected, self.wrong_shape = missing, unexpected, wrong_shape
        lines = [f"{what}: checkpoint does not match the network ({len(missing)} missing, {len(unexpected)} unexpected, "
                 f"{len(wrong_shape)} wrong shape)"]
        lines += [f"  missing: {k}" for k in missing]
        lines += [f"  unexpected: {k}" for k in unexpected]
        lines += [f"  wrong shape: {k}" for k in wrong_shape]
        if any(k.endswith("proj_attn.weight") or ".attentions." in k and ".attn." not in k for k in unexpected):
            lines.append("  hint: these look like the MONAI-GenerativeModels (pre-MONAI-1.4) layout; convert with "
                         "MONAI's load_old_state_dict first")
        super().__init__("\n".join(lines))


def load_strict(module: nn.Module, state: dict[str, torch.Tensor], what: str) -> None:
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    wrong = sorted(f"{k} {tuple(state[k].shape)} ≠ {tuple(own[k].shape)}" for k in set(own) & set(state) if own[k].shape != state[k].shape)
    if missing or unexpected or wrong:
        raise CheckpointMismatch(what, missing, unexpected, wrong)
    module.load_state_dict(state, strict=True)


def _torch_load(path: Path, allow_pickle: bool) -> object:
    try:
        return torch.load(path, map_location="cpu", weights_only=not allow_pickle)
    except Exception as e:  # torch raises UnpicklingError or RuntimeError depending on the content
        if allow_pickle:
            raise
        raise ValueError(f"{path}: not loadable with weights_only=True ({e}); rerun with --allow-pickle if you trust the file") from e


def load_autoencoder(ae: Autoencoder, path: Path, allow_pickle: bool = False) -> None:
    """A plain state dict, or one wrapped as {"unet_state_dict": …} (notes §5.6)."""
    data = _torch_load(path, allow_pickle)
    if isinstance(data, dict) and "unet_state_dict" in data:
        data = data["unet_state_dict"]
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a state dict")
    load_strict(ae, data, str(path))


def load_unet(unet: DiffusionUNet, path: Path, allow_pickle: bool = False) -> float:
    """{"unet_state_dict": …, "scale_factor": 0-d tensor, …}; returns scale_factor."""
    data = _torch_load(path, allow_pickle)
    if not isinstance(data, dict) or "unet_state_dict" not in data:
        raise ValueError(f"{path}: expected a dict with 'unet_state_dict' and 'scale_factor'")
    if "scale_factor" not in data:
        raise ValueError(f"{path}: no 'scale_factor' (MAISI stores 1/std of the training latents there)")
    load_strict(unet, data["unet_state_dict"], str(path))
    return float(data["scale_factor"])


# ---- package ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MaisiCheckpoints:
    autoencoder: Path
    unet: Path
    allow_pickle: bool = False


def export_maisi_package(variant_name: str, out: Path, checkpoints: MaisiCheckpoints | None, tiny: bool, seed: int,
                         spacing_mm: tuple[float, float, float] = (1.5, 1.5, 1.5),
                         body_regions: tuple[str, ...] = ("chest", "abdomen")) -> Path:
    """Builds (and loads, when checkpoints are given) a MAISI variant and writes it as a package.

    MAISI has no AOVA or refinement head; the package gets seeded, UNTRAINED heads sized for MAISI's features, stated in
    `source_weights`, the description and the model card. Train heads on MAISI features before using it clinically."""
    base = VARIANTS[MAISI_TINY_VARIANTS.get(variant_name, variant_name)]
    variant = tiny_variant(base) if tiny else base
    torch.manual_seed(seed)
    ae, unet = Autoencoder(variant.autoencoder), DiffusionUNet(variant.unet)
    scale_factor, source = 1.0, f"random (seed {seed})"
    if checkpoints is None:
        perturb_zero_initialised(unet, seed)
    if checkpoints is not None:
        load_autoencoder(ae, checkpoints.autoencoder, checkpoints.allow_pickle)
        scale_factor = load_unet(unet, checkpoints.unet, checkpoints.allow_pickle)
        source = f"{checkpoints.autoencoder.name} + {checkpoints.unet.name} ({variant.weights}); AOVA and refinement heads UNTRAINED (seed {seed})"
    channels = variant.autoencoder.num_channels
    aova = AovaHead(AovaConfig(feature_channels=channels, feature_strides=(1, 2, 4), latent_stride=4,  # type: ignore[arg-type]
                               embedding_dim=PROMPT_EMBEDDING_DIM, joint_dim=8 if tiny else PROMPT_EMBEDDING_DIM, hidden_channels=4 if tiny else 32))
    refinement = RefinementHead(RefinementConfig(feature_channels=channels[-1], feature_stride=4, hidden_channels=4 if tiny else 16))
    nets = PackageNetworks(ae, unet, aova, refinement, Layout.RAS_XYZ)
    label = f"maisi-{variant.name}" + ("-tiny" if tiny else "")
    card = (f"# {label}\n\nMAISI `{variant.name}` rebuilt by deploy/model-foundry/export_maisi.py (our modules, MAISI's state-dict "
            f"layout). Weights: {source}. Licence of real weights: {variant.licence}.\n\nThe graphs take [batch, channel, z, y, x] "
            "in LPS and convert to MAISI's RAS [x, y, z] inside the graph.\n\n**The AOVA and refinement heads are untrained** "
            "(MAISI has none); this package runs the pipeline but does not segment until heads are trained on MAISI features.\n")
    return export_package(
        nets, out, name=label, version="0.1.0", licence="LicenseRef-DiffuGts-test-fixture" if checkpoints is None else variant.licence,
        description=f"MAISI {variant.name} in the DiffuGts package format; AOVA/refinement heads untrained.",
        modality=variant.modality, body_regions=list(body_regions), spacing_mm=list(spacing_mm), scale_factor=scale_factor,
        scheduler=variant.scheduler.to_dict(), modality_class=variant.modality_class,
        prompts={"mode": "minilm", "embedding_dim": PROMPT_EMBEDDING_DIM, "normal_template": NORMAL_TEMPLATE,
                 "abnormal_template": ABNORMAL_TEMPLATE, "text_encoder": None, "lexicon": None},
        lexicon=None,
        inpainting={"strength": 0.6, "steps": 4 if tiny else variant.inpainting_steps, "eta": 0.0, "latent_margin_voxels": 2,
                    "residual_reference": "reconstruction"},
        seed=seed,
        training_config={"variant": variant.name, "tiny": tiny, "autoencoder": variant.autoencoder.to_dict(), "unet": variant.unet.to_dict()},
        source_weights=source, model_card=card,
    )
