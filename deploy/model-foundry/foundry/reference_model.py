"""The DiffuGts reference model: a small MAISI-shaped latent diffusion model plus the AOVA and refinement heads.

Same classes and state-dict layout as MAISI (so the C# pipeline and the export code serve both), shrunk in width only.
The UNet enables all three MAISI conditionings at once (spacing, top/bottom body region, modality class), which the
MAISI classes allow; real MAISI v1 uses the first two and v2 the first and last.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import torch

from foundry.aova import AovaConfig, AovaHead
from foundry.autoencoder import Autoencoder, AutoencoderConfig
from foundry.diffusion_unet import DiffusionUNet, DiffusionUNetConfig
from foundry.refinement import RefinementConfig, RefinementHead
from foundry.schedulers import RectifiedFlowConfig

PROMPT_EMBEDDING_DIM = 384  # all-MiniLM-L6-v2 (research/text-encoder.md)


@dataclass(frozen=True)
class ReferenceModelConfig:
    autoencoder: AutoencoderConfig
    unet: DiffusionUNetConfig
    aova: AovaConfig
    refinement: RefinementConfig
    scheduler: RectifiedFlowConfig

    @property
    def image_multiple(self) -> int:
        return self.autoencoder.downsample_factor * self.unet.latent_multiple

    def to_dict(self) -> dict[str, object]:
        return {
            "autoencoder": self.autoencoder.to_dict(),
            "unet": self.unet.to_dict(),
            "aova": self.aova.to_dict(),
            "refinement": self.refinement.to_dict(),
            "scheduler": self.scheduler.to_dict(),
        }


def _preset(ae_channels: tuple[int, int, int], unet_channels: tuple[int, int, int, int], head_channels: int,
            groups: int, aova_hidden: int, joint_dim: int, refine_hidden: int) -> ReferenceModelConfig:
    ae = AutoencoderConfig(num_channels=ae_channels, norm_num_groups=groups)
    unet = DiffusionUNetConfig(
        num_channels=unet_channels,
        num_head_channels=(0, 0, head_channels, head_channels),
        norm_num_groups=groups,
        include_spacing_input=True,
        include_top_region_index_input=True,
        include_bottom_region_index_input=True,
        num_class_embeds=128,
        resblock_updown=True,
        include_fc=True,
    )
    strides = tuple(2 ** i for i in range(len(ae_channels)))
    aova = AovaConfig(
        feature_channels=ae_channels,
        feature_strides=strides,  # type: ignore[arg-type]
        latent_stride=ae.downsample_factor,
        embedding_dim=PROMPT_EMBEDDING_DIM,
        joint_dim=joint_dim,
        hidden_channels=aova_hidden,
    )
    refinement = RefinementConfig(
        feature_channels=ae_channels[-1], feature_stride=strides[-1], hidden_channels=refine_hidden
    )
    return ReferenceModelConfig(ae, unet, aova, refinement, RectifiedFlowConfig())


PRESETS: dict[str, ReferenceModelConfig] = {
    # The shipped reference package: sized for CPU training on phantoms within a few 90-minute runs.
    "reference": _preset((16, 32, 64), (16, 32, 48, 64), 16, 8, 64, PROMPT_EMBEDDING_DIM, 16),
    # Unit tests and the committed deploy/models/tiny packages: a few hundred kilobytes in all. Channels still grow
    # strictly from level to level, so the key set has the same shape as MAISI's (research notes §7).
    "tiny": _preset((2, 4, 6), (2, 4, 6, 8), 2, 2, 4, 8, 4),
}


def model_config(preset: str, training_config: dict[str, object] | None = None) -> ReferenceModelConfig:
    """The preset's networks as a training run configured them (TrainingConfig.heads_anomaly_input, heads_feature_input,
    heads_pixel_input and aova_factorised; absent in runs made before they existed, which read the anomaly map and both
    residuals and had one AOVA factor)."""
    cfg = PRESETS[preset]
    anomaly_input = bool((training_config or {}).get("heads_anomaly_input", True))
    feature_input = bool((training_config or {}).get("heads_feature_input", True))
    pixel_input = bool((training_config or {}).get("heads_pixel_input", True))
    factorised = bool((training_config or {}).get("aova_factorised", False))
    refinement = replace(cfg.refinement, anomaly_input=anomaly_input, feature_input=feature_input,
                         pixel_input=pixel_input)
    return replace(cfg, aova=replace(cfg.aova, factorised=factorised), refinement=refinement)


@dataclass
class ReferenceModels:
    autoencoder: Autoencoder
    unet: DiffusionUNet
    aova: AovaHead
    refinement: RefinementHead

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"autoencoder": self.autoencoder, "unet": self.unet, "aova": self.aova, "refinement": self.refinement}


def build_models(cfg: ReferenceModelConfig, seed: int) -> ReferenceModels:
    """Builds every network with weights drawn from `seed` (the only source of randomness)."""
    torch.manual_seed(seed)
    return ReferenceModels(
        autoencoder=Autoencoder(cfg.autoencoder),
        unet=DiffusionUNet(cfg.unet),
        aova=AovaHead(cfg.aova),
        refinement=RefinementHead(cfg.refinement),
    )


def load_trained(path: str | Path) -> tuple[ReferenceModels, dict[str, object], float]:
    """A train.py checkpoint or final.pt: every network in eval mode, the training config and the latent scale factor."""
    saved = torch.load(path)
    config = saved.get("config") or saved["training_config"]
    models = build_models(model_config(str(config["preset"]), saved.get("training_config", config)), 0)
    for name, module in models.modules().items():
        module.load_state_dict(saved["models"][name])
        module.eval()
    return models, config, float(saved["scale_factor"] or 1.0)
