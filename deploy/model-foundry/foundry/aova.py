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

Factorised (`factorised = True`): the same logit is read as "abnormal, of the kind the prompt names" only, and a second
voxel embedding u(x) from the same trunk answers "inside the organ the prompt names" against the abnormal text:

    organ_p(x) = τ_o·⟨u(x), Ŵ_o t_a,p⟩ + b_o,     P_p(x) = sigmoid(logit_p(x)) · sigmoid(organ_p(x))

and the head returns the logit of P. Training teaches the abnormality factor on lesions in every seen organ whatever
organ the prompt names, and the organ factor on organ masks (lesions filled in) of every organ a prompt names, held-out
organs included: organ masks are free labels, lesions are what is held out. Without the factorisation one correlation
must mean "abnormal here *and* this organ"; taught with an organ prior on an organ that never had a lesion, it learns
the organ's healthy appearance, and a lesion (which by definition looks unlike the organ) scores lower than the
tissue around it.
Pooling first keeps the per-voxel work on the latent grid (64× fewer voxels than the image grid at stride 1), and lets
training cache the pooled frozen features.
"""
from __future__ import annotations

import math
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
    factorised: bool = False

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


def _text_projection(cfg: AovaConfig) -> nn.Linear:
    """W: prompt embedding → joint space. It starts from the text encoder's own geometry (the identity) when the
    dimensions agree, so prompts never seen in training (open vocabulary) land where their sentence embeddings put them."""
    projection = nn.Linear(cfg.embedding_dim, cfg.joint_dim)
    if cfg.joint_dim == cfg.embedding_dim:
        with torch.no_grad():
            projection.weight.copy_(torch.eye(cfg.embedding_dim))
            projection.bias.zero_()
    return projection


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
        self.text_projection = _text_projection(cfg)
        self.log_temperature = nn.Parameter(torch.tensor(float(cfg.initial_temperature)).log())
        self.bias = nn.Parameter(torch.zeros(()))
        if cfg.factorised:
            self.organ_out = Conv3d(cfg.hidden_channels, cfg.joint_dim, kernel_size=1)
            self.organ_text_projection = _text_projection(cfg)
            self.organ_log_temperature = nn.Parameter(torch.tensor(float(cfg.initial_temperature)).log())
            self.organ_bias = nn.Parameter(torch.zeros(()))

    def pooled(self, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor) -> list[torch.Tensor]:
        """The frozen features averaged onto the latent grid (what training caches)."""
        return [F.avg_pool3d(f, kernel_size=k, stride=k) if k > 1 else f for f, k in zip((f1, f2, f3), self.pools)]

    def _trunk(self, pooled: list[torch.Tensor]) -> torch.Tensor:
        total = None
        for f, adapter, projection in zip(pooled, self.adapters, self.projections):
            h = projection(adapter(f))
            total = h if total is None else total + h
        assert total is not None
        return self.context(total)

    def voxel_embeddings_pooled(self, pooled: list[torch.Tensor]) -> torch.Tensor:
        """v(x) on the latent grid from pooled features, L2-normalised over the joint axis: [B, D, ld, lh, lw]."""
        return F.normalize(self.out(self._trunk(pooled)), dim=1)

    def voxel_embeddings(self, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor) -> torch.Tensor:
        return self.voxel_embeddings_pooled(self.pooled(f1, f2, f3))

    def forward(self, f1: torch.Tensor, f2: torch.Tensor, f3: torch.Tensor, prompt_embeddings: torch.Tensor) -> torch.Tensor:
        """prompt_embeddings [P, 2, E] (row 0 normal, row 1 abnormal) → anomaly logits [B, P, ld, lh, lw]."""
        return self.logits_pooled(self.pooled(f1, f2, f3), prompt_embeddings)

    def factor_logits_pooled(self, pooled: list[torch.Tensor], prompt_embeddings: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The abnormality logit and, when factorised, the organ logit (else None), each [B, P, ld, lh, lw]."""
        h = self._trunk(pooled)
        v = F.normalize(self.out(h), dim=1)
        t = F.normalize(self.text_projection(prompt_embeddings), dim=-1)
        direction = t[:, 1, :] - t[:, 0, :]  # ⟨v, t_a⟩ − ⟨v, t_n⟩ = ⟨v, t_a − t_n⟩
        scores = torch.einsum("bexyz,pe->bpxyz", v, direction)
        abnormal = self.log_temperature.exp() * scores + self.bias
        if not self.config.factorised:
            return abnormal, None
        u = F.normalize(self.organ_out(h), dim=1)
        o = F.normalize(self.organ_text_projection(prompt_embeddings[:, 1, :]), dim=-1)
        organ_scores = torch.einsum("bexyz,pe->bpxyz", u, o)
        organ = self.organ_log_temperature.exp() * organ_scores + self.organ_bias
        return abnormal, organ

    def logits_pooled(self, pooled: list[torch.Tensor], prompt_embeddings: torch.Tensor) -> torch.Tensor:
        abnormal, organ = self.factor_logits_pooled(pooled, prompt_embeddings)
        return abnormal if organ is None else product_logit(abnormal, organ)


def product_logit(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """logit(sigmoid(a)·sigmoid(b)), from log-sigmoids (exact for large negative logits), clamped to ±13.8 (p within
    1e-6 of 0 or 1) so the ONNX graph needs no log1p."""
    log_p = F.logsigmoid(a) + F.logsigmoid(b)
    p = log_p.exp().clamp(1e-6, 1 - 1e-6)
    return log_p.clamp(min=math.log(1e-6)) - torch.log(1 - p)
