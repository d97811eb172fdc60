"""Anomaly-aware open-vocabulary attention (AOVA) head (DiffuGTS method notes §2.3; package spec §3.4).

Frozen VAE-encoder features F_l (l = 1, 2, 3) are average-pooled to the latent grid and pass through residual adapters
F′_l = α·T_l(F_l) + (1 − α)·F_l, where T_l is two 1×1×1 convolutions (per-voxel linear layers) and α a constant (0.1,
the third-party value; the paper's is unknown). A 1×1×1 projection maps each F′_l to a hidden width, the levels are
summed, and a small context block (two 3×3×3 convolutions on the latent grid, a receptive field of 5 latent voxels)
lets each voxel compare itself with its surroundings: a lesion is abnormal only relative to the organ around it.
A final 1×1×1 projection gives the voxel embedding v in a joint space of dimension D (the prompt-embedding dimension E
in the reference model; smaller only in the tiny test preset), L2-normalised. Each prompt brings two L2-normalised text
embeddings (dimension E = 384), normal t_n and abnormal t_a, mapped into the same space by a shared learned linear map
W. The anomaly logit of prompt p at voxel x is a two-way softmax over {normal, abnormal} written as one logit:

    logit_p(x) = τ·(⟨v(x), Ŵt_a,p⟩ − ⟨v(x), Ŵt_n,p⟩) + b

so sigmoid(logit) is the probability of "abnormal" under that prompt pair (OVAM's token softmax over two keys).
Pooling first keeps the per-voxel work on the latent grid (64× fewer voxels than the image grid at stride 1), and lets
training cache the pooled frozen features.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from foundry.layers import Conv3d


@dataclass(frozen=True)
class AovaConfig:
    feature_channels: tuple[int, int, int] = (64, 128, 256)
    feature_strides: tuple[int, int, int] = (1, 2, 4)
    latent_stride: int = 4
    embedding_dim: int = 384
    joint_dim: int = 384
    hidden_channels: int = 64
    alpha: float = 0.1
    initial_temperature: float = 10.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class _Adapter(nn.Module):
    """T_l: two per-voxel linear layers; returns α·T(F) + (1 − α)·F."""

    def __init__(self, ch: int, alpha: float) -> None:
        super().__init__()
        self.alpha = alpha
        self.fc1 = Conv3d(ch, ch, kernel_size=1)
        self.fc2 = Conv3d(ch, ch, kernel_size=1)

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        return self.alpha * self.fc2(F.silu(self.fc1(f))) + (1 - self.alpha) * f


class AovaHead(nn.Module):
    def __init__(self, cfg: AovaConfig = AovaConfig()) -> None:
        super().__init__()
        self.config = cfg
        for stride in cfg.feature_strides:
            if cfg.latent_stride % stride != 0:
                raise ValueError(f"feature stride {stride} does not divide the latent stride {cfg.latent_stride}")
        self.pools = [cfg.latent_stride // s for s in cfg.feature_strides]
        self.adapters = nn.ModuleList([_Adapter(c, cfg.alpha) for c in cfg.feature_channels])
        self.projections = nn.ModuleList([Conv3d(c, cfg.hidden_channels, kernel_size=1) for c in cfg.feature_channels])
        self.context = nn.Sequential(
            nn.SiLU(),
            Conv3d(cfg.hidden_channels, cfg.hidden_channels, kernel_size=3, padding=1),
            nn.SiLU(),
            Conv3d(cfg.hidden_channels, cfg.hidden_channels, kernel_size=3, padding=1),
            nn.SiLU(),
        )
        self.out = Conv3d(cfg.hidden_channels, cfg.joint_dim, kernel_size=1)
        self.text_projection = nn.Linear(cfg.embedding_dim, cfg.joint_dim)
        if cfg.joint_dim == cfg.embedding_dim:
            # Start from the text encoder's own geometry, so prompts never seen in training (open vocabulary) land
            # where their sentence embeddings put them.
            with torch.no_grad():
                self.text_projection.weight.copy_(torch.eye(cfg.embedding_dim))
                self.text_projection.bias.zero_()
        self.log_temperature = nn.Parameter(torch.tensor(float(cfg.initial_temperature)).log())
        self.bias = nn.Parameter(torch.zeros(()))

    def pooled(self, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor) -> list[torch.Tensor]:
        """The frozen features averaged onto the latent grid (what training caches)."""
        return [F.avg_pool3d(f, kernel_size=k, stride=k) if k > 1 else f for f, k in zip((f1, f2, f3), self.pools)]

    def voxel_embeddings_pooled(self, pooled: list[torch.Tensor]) -> torch.Tensor:
        """v(x) on the latent grid from pooled features, L2-normalised over the joint axis: [B, D, ld, lh, lw]."""
        total = None
        for f, adapter, projection in zip(pooled, self.adapters, self.projections):
            h = projection(adapter(f))
            total = h if total is None else total + h
        assert total is not None
        return F.normalize(self.out(self.context(total)), dim=1)

    def voxel_embeddings(self, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor) -> torch.Tensor:
        return self.voxel_embeddings_pooled(self.pooled(f1, f2, f3))

    def forward(self, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor, prompt_embeddings: torch.Tensor) -> torch.Tensor:
        """prompt_embeddings [P, 2, E] (row 0 normal, row 1 abnormal) → anomaly logits [B, P, ld, lh, lw]."""
        return self.logits_pooled(self.pooled(f1, f2, f3), prompt_embeddings)

    def logits_pooled(self, pooled: list[torch.Tensor], prompt_embeddings: torch.Tensor) -> torch.Tensor:
        v = self.voxel_embeddings_pooled(pooled)
        t = F.normalize(self.text_projection(prompt_embeddings), dim=-1)
        direction = t[:, 1, :] - t[:, 0, :]  # ⟨v, t_a⟩ − ⟨v, t_n⟩ = ⟨v, t_a − t_n⟩
        scores = torch.einsum("bexyz,pe->bpxyz", v, direction)
        return self.log_temperature.exp() * scores + self.bias
