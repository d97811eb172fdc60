"""3D KL autoencoder with MAISI's state-dict layout (`AutoencoderKlMaisi`, MAISI §5.2–§5.3).

Written from the published configuration and the key/shape manifests in
`research/maisi-state-dict-keys/*_autoencoder_def.tsv`; no MONAI code. Two downsamplings give 4× compression per axis.

Encoder blocks (full config, 1×64×64×32 input):
    0 conv → 1–2 ResBlock 64 → 3 Downsample → 4–5 ResBlock 128 → 6 Downsample → 7–8 ResBlock 256 → 9 GroupNorm → 10 conv.
The AOVA stage features are the outputs of the last ResBlock of each level (blocks 2, 5, 8): C_l = 64, 128, 256 at full,
½ and ¼ resolution, as the DiffuGTS method notes infer (§2.3).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from foundry.layers import WrappedConv, group_norm

# MAISI's autoencoder wraps each Conv3d in MaisiConvolution → Convolution → Conv3d: two `conv` levels.
_CONV_DEPTH = 2


@dataclass(frozen=True)
class AutoencoderConfig:
    in_channels: int = 1
    out_channels: int = 1
    latent_channels: int = 4
    num_channels: tuple[int, ...] = (64, 128, 256)
    num_res_blocks: tuple[int, ...] = (2, 2, 2)
    norm_num_groups: int = 32
    norm_eps: float = 1e-6

    @property
    def downsample_factor(self) -> int:
        return 2 ** (len(self.num_channels) - 1)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


MAISI_AUTOENCODER = AutoencoderConfig()
"""`AutoencoderKlMaisi` as configured in MAISI v1 and v2 (`num_splits` and `norm_float16` do not change weights)."""


class _ResBlock(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, groups: int, eps: float) -> None:
        super().__init__()
        self.norm1 = group_norm(in_ch, groups, eps)
        self.conv1 = WrappedConv(in_ch, out_ch, depth=_CONV_DEPTH)
        self.norm2 = group_norm(out_ch, groups, eps)
        self.conv2 = WrappedConv(out_ch, out_ch, depth=_CONV_DEPTH)
        self.nin_shortcut = WrappedConv(in_ch, out_ch, kernel_size=1, depth=_CONV_DEPTH) if in_ch != out_ch else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        skip = x if self.nin_shortcut is None else self.nin_shortcut(x)
        return skip + h


class _Downsample(nn.Module):
    """Pad one voxel at the far end of each axis, then a stride-2 3×3×3 convolution without padding."""

    def __init__(self, ch: int) -> None:
        super().__init__()
        self.conv = WrappedConv(ch, ch, stride=2, padding=0, depth=_CONV_DEPTH)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.pad(x, (0, 1, 0, 1, 0, 1)))


class _Upsample(nn.Module):
    """Nearest-neighbour ×2, then a 3×3×3 convolution (MAISI uses no transposed convolution)."""

    def __init__(self, ch: int) -> None:
        super().__init__()
        self.conv = WrappedConv(ch, ch, depth=_CONV_DEPTH)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Encoder(nn.Module):
    def __init__(self, cfg: AutoencoderConfig) -> None:
        super().__init__()
        g, eps = cfg.norm_num_groups, cfg.norm_eps
        blocks: list[nn.Module] = [WrappedConv(cfg.in_channels, cfg.num_channels[0], depth=_CONV_DEPTH)]
        self.feature_block_indices: list[int] = []
        ch = cfg.num_channels[0]
        for level, out_ch in enumerate(cfg.num_channels):
            for _ in range(cfg.num_res_blocks[level]):
                blocks.append(_ResBlock(ch, out_ch, g, eps))
                ch = out_ch
            self.feature_block_indices.append(len(blocks) - 1)
            if level < len(cfg.num_channels) - 1:
                blocks.append(_Downsample(ch))
        blocks.append(group_norm(ch, g, eps))
        blocks.append(WrappedConv(ch, cfg.latent_channels, depth=_CONV_DEPTH))
        self.blocks = nn.ModuleList(blocks)

    def forward_with_features(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        features: list[torch.Tensor] = []
        for i, block in enumerate(self.blocks):
            x = block(x)  # the tail is GroupNorm then conv, with no activation between them (MAISI layout)
            if i in self.feature_block_indices:
                features.append(x)
        return x, features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_features(x)[0]


class Decoder(nn.Module):
    def __init__(self, cfg: AutoencoderConfig) -> None:
        super().__init__()
        g, eps = cfg.norm_num_groups, cfg.norm_eps
        rev_ch = list(reversed(cfg.num_channels))
        rev_blocks = list(reversed(cfg.num_res_blocks))
        blocks: list[nn.Module] = [WrappedConv(cfg.latent_channels, rev_ch[0], depth=_CONV_DEPTH)]
        ch = rev_ch[0]
        for level, out_ch in enumerate(rev_ch):
            for _ in range(rev_blocks[level]):
                blocks.append(_ResBlock(ch, out_ch, g, eps))
                ch = out_ch
            if level < len(rev_ch) - 1:
                blocks.append(_Upsample(ch))
        blocks.append(group_norm(ch, g, eps))
        blocks.append(WrappedConv(ch, cfg.out_channels, depth=_CONV_DEPTH))
        self.blocks = nn.ModuleList(blocks)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            z = block(z)
        return z


class Autoencoder(nn.Module):
    """Top-level keys: `encoder.blocks.*`, `decoder.blocks.*`, `quant_conv_mu.conv.*`, `quant_conv_log_sigma.conv.*`,
    `post_quant_conv.conv.*` (MAISI §5.6)."""

    def __init__(self, cfg: AutoencoderConfig = MAISI_AUTOENCODER) -> None:
        super().__init__()
        self.config = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)
        lc = cfg.latent_channels
        self.quant_conv_mu = WrappedConv(lc, lc, kernel_size=1)
        self.quant_conv_log_sigma = WrappedConv(lc, lc, kernel_size=1)
        self.post_quant_conv = WrappedConv(lc, lc, kernel_size=1)

    def encode_with_features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
        """Returns (μ, σ, stage features). σ = exp(½·clamp(log σ², −30, 20)) (Kingma & Welling 2014, reparameterisation)."""
        h, features = self.encoder.forward_with_features(x)
        mu = self.quant_conv_mu(h)
        log_var = torch.clamp(self.quant_conv_log_sigma(h), -30.0, 20.0)
        return mu, torch.exp(log_var / 2), features

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, sigma, _ = self.encode_with_features(x)
        return mu, sigma

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.post_quant_conv(z))

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Training pass: sample z = μ + σ·ε and reconstruct. Returns (reconstruction, μ, σ)."""
        mu, sigma = self.encode(x)
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
        return self.decode(mu + sigma * eps), mu, sigma
