"""Residual refinement head (DiffuGTS method notes §2.5; package spec §3.5).

Pixel-level residual |R − H| and feature-level residual f3(R) − f3(H) (H = pseudo-healthy image from latent
inpainting, R = the VAE's reconstruction of the image; foundry.pipeline says why R and not I) are fused with the
image's own difference I − H and the upsampled AOVA anomaly map into one lesion logit per voxel. The feature residual
is reduced by a 1×1×1 convolution and upsampled (nearest) from stride s_3 to the image grid; a small 3D CNN does the
rest. The paper's exact design is unknown; this is the foundry's, behind the spec's interface.

The head never sees intensities themselves, only differences and the anomaly map: what a lesion looks like in the
seen organs (dark in liver, bright in spleen) must not become the head's idea of a lesion, or held-out organs and
appearances (a cyst, a kidney) fall outside what it knows. A residual is a residual in any organ.

With `anomaly_input = False` the head does not read the anomaly map at all (its skip gain is fixed at 0; the input stays
in the graph so the package interface is the same): the AOVA then only chooses where to inpaint, and the residuals alone
decide what is lesion inside that region. An AOVA trained on a few organs' lesions is confident there and nowhere else,
so a head that reads it learns to follow it, and misses every lesion of an organ the AOVA never saw.

With `feature_input = False` the head never sees the feature residual (its reduced maps are multiplied by 0; the input
stays in the graph, so the interface is the same and a caller may pass zeros): the ablation "AOVA + pixel residual"
of the benchmark's method (d), trained like the full head on the same crops, without the feature-level evidence.
With `pixel_input = False` it never sees the pixel-level evidence (|X − H|, I − H and |I − H| are multiplied by 0): the
leave-one-out counterpart, the full pipeline without the pixel residual.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from foundry.layers import Conv3d


@dataclass(frozen=True)
class RefinementConfig:
    feature_channels: int = 256
    feature_stride: int = 4
    reduced_feature_channels: int = 8
    hidden_channels: int = 16
    anomaly_input: bool = True
    feature_input: bool = True
    pixel_input: bool = True

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class RefinementHead(nn.Module):
    def __init__(self, cfg: RefinementConfig = RefinementConfig()) -> None:
        super().__init__()
        self.config = cfg
        self.feature_reduce = Conv3d(cfg.feature_channels, cfg.reduced_feature_channels, kernel_size=1)
        hidden = cfg.hidden_channels
        self.body = nn.Sequential(
            Conv3d((4 if cfg.anomaly_input else 3) + cfg.reduced_feature_channels, hidden, kernel_size=3, padding=1),
            nn.SiLU(),
            Conv3d(hidden, hidden, kernel_size=3, padding=2, dilation=2),
            nn.SiLU(),
            Conv3d(hidden, hidden, kernel_size=3, padding=1),
            nn.SiLU(),
            Conv3d(hidden, 1, kernel_size=1),
        )
        # A skip from the anomaly map's logit lets the head start from the AOVA answer and learn corrections.
        self.anomaly_gain = nn.Parameter(torch.tensor(1.0 if cfg.anomaly_input else 0.0), requires_grad=cfg.anomaly_input)

    def forward(
        self,
        image: torch.Tensor,
        pseudo_healthy: torch.Tensor,
        pixel_residual: torch.Tensor,
        feature_residual: torch.Tensor,
        anomaly_map: torch.Tensor,
    ) -> torch.Tensor:
        fr = self.feature_reduce(feature_residual)
        if self.config.feature_stride > 1:
            fr = F.interpolate(fr, scale_factor=float(self.config.feature_stride), mode="nearest")
        if not self.config.feature_input:
            fr = fr * 0.0
        difference = image - pseudo_healthy
        pixel = [pixel_residual, difference, difference.abs()]
        if not self.config.pixel_input:
            pixel = [p * 0.0 for p in pixel]
        inputs = pixel + ([anomaly_map] if self.config.anomaly_input else []) + [fr]
        x = torch.cat(inputs, dim=1)
        a = anomaly_map.clamp(1e-4, 1 - 1e-4)
        return self.body(x) + self.anomaly_gain * torch.log(a / (1 - a))
