"""Export wrappers that give each network the exact graph signature of the package spec (docs/model-package.md §3).

Every graph sees and returns tensors as [batch, channel, z, y, x] in DICOM LPS (spec §1). Our reference model is trained
in that layout (`Layout.LPS_ZYX`). MAISI was trained in RAS with tensors [B, C, x, y, z] (`Layout.RAS_XYZ`); its
wrappers permute (z, y, x) → (x, y, z) and flip x and y (L→R, P→A) on the way in, and undo both on the way out.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import torch
from torch import nn

from foundry.aova import AovaHead
from foundry.autoencoder import Autoencoder
from foundry.diffusion_unet import DiffusionUNet
from foundry.refinement import RefinementHead


class Layout(enum.Enum):
    LPS_ZYX = "lps_zyx"
    RAS_XYZ = "ras_xyz"


def to_network(x: torch.Tensor, layout: Layout) -> torch.Tensor:
    if layout is Layout.LPS_ZYX:
        return x
    return torch.flip(x.permute(0, 1, 4, 3, 2), dims=(2, 3))


def from_network(x: torch.Tensor, layout: Layout) -> torch.Tensor:
    if layout is Layout.LPS_ZYX:
        return x
    return torch.flip(x, dims=(2, 3)).permute(0, 1, 4, 3, 2)


@dataclass(frozen=True)
class TensorSpec:
    name: str
    dtype: str
    shape: tuple[int | str, ...]

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "dtype": self.dtype, "shape": list(self.shape)}


IMAGE_DIMS = ("depth", "height", "width")
LATENT_DIMS = ("ldepth", "lheight", "lwidth")


def grid_dims(stride: int, latent_factor: int, label: str) -> tuple[str, str, str]:
    """Symbolic spatial names: the image grid at stride 1, the latent grid at the VAE factor, else `<label>_depth`…"""
    if stride == 1:
        return IMAGE_DIMS
    if stride == latent_factor:
        return LATENT_DIMS
    return (f"{label}_depth", f"{label}_height", f"{label}_width")


class VaeEncoderGraph(nn.Module):
    """image → latent_mean (μ, not scaled), f1, f2, f3."""

    def __init__(self, ae: Autoencoder, layout: Layout) -> None:
        super().__init__()
        self.ae, self.layout = ae, layout

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, _, feats = self.ae.encode_with_features(to_network(image, self.layout))
        f1, f2, f3 = (from_network(f, self.layout) for f in feats)
        return from_network(mu, self.layout), f1, f2, f3


class VaeDecoderGraph(nn.Module):
    """latent (already divided by scale_factor) → image."""

    def __init__(self, ae: Autoencoder, layout: Layout) -> None:
        super().__init__()
        self.ae, self.layout = ae, layout

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        return from_network(self.ae.decode(to_network(latent, self.layout)), self.layout)


class DiffusionUNetGraph(nn.Module):
    """latent, timestep (float32 [batch]) and the conditioning the configuration enables → prediction.

    `forward` takes the inputs in the order of `input_names()`; a disabled conditioning has no input at all."""

    def __init__(self, unet: DiffusionUNet, layout: Layout) -> None:
        super().__init__()
        self.unet, self.layout = unet, layout
        cfg = unet.config
        self.names = ["latent", "timestep"]
        if cfg.include_spacing_input:
            self.names.append("spacing")
        if cfg.include_top_region_index_input:
            self.names.append("top_region_index")
        if cfg.include_bottom_region_index_input:
            self.names.append("bottom_region_index")
        if cfg.num_class_embeds is not None:
            self.names.append("class_label")

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        named = dict(zip(self.names, inputs))
        out = self.unet(
            to_network(named["latent"], self.layout),
            named["timestep"],
            spacing=named.get("spacing"),
            top_region_index=named.get("top_region_index"),
            bottom_region_index=named.get("bottom_region_index"),
            class_labels=named.get("class_label"),
        )
        return from_network(out, self.layout)


class AovaGraph(nn.Module):
    def __init__(self, head: AovaHead) -> None:
        super().__init__()
        self.head = head

    def forward(self, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor, prompt_embeddings: torch.Tensor) -> torch.Tensor:
        return self.head(f1, f2, f3, prompt_embeddings)


class RefinementGraph(nn.Module):
    def __init__(self, head: RefinementHead) -> None:
        super().__init__()
        self.head = head

    def forward(self, image: torch.Tensor, pseudo_healthy: torch.Tensor, pixel_residual: torch.Tensor,
                feature_residual: torch.Tensor, anomaly_map: torch.Tensor) -> torch.Tensor:
        return self.head(image, pseudo_healthy, pixel_residual, feature_residual, anomaly_map)
