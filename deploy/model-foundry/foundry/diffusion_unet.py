"""3D diffusion UNet with MAISI's state-dict layout (`DiffusionModelUNetMaisi`, MAISI §5.2–§5.5).

Written from the published configurations and `research/maisi-state-dict-keys/*_diffusion_unet_def.tsv`; no MONAI code.

Blocks: down [plain, plain, attention, attention] (per `attention_levels`), a middle block (ResBlock, self-attention,
ResBlock), up blocks mirroring the down path with `num_res_blocks + 1` ResBlocks each. The ResBlocks see one embedding
vector: the sinusoidal timestep embedding through `time_embed` (plus `class_embedding` when present), concatenated in
this order with the top-region, bottom-region and spacing MLP outputs that the configuration enables.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from foundry.layers import WrappedConv, group_norm, timestep_embedding, zero_


@dataclass(frozen=True)
class DiffusionUNetConfig:
    in_channels: int = 4
    out_channels: int = 4
    num_channels: tuple[int, ...] = (64, 128, 256, 512)
    attention_levels: tuple[bool, ...] = (False, False, True, True)
    num_head_channels: tuple[int, ...] = (0, 0, 32, 32)
    num_res_blocks: int = 2
    norm_num_groups: int = 32
    norm_eps: float = 1e-6
    include_spacing_input: bool = True
    include_top_region_index_input: bool = False
    include_bottom_region_index_input: bool = False
    num_class_embeds: int | None = None
    resblock_updown: bool = False
    include_fc: bool = False

    @property
    def time_embed_dim(self) -> int:
        return self.num_channels[0] * 4

    @property
    def latent_multiple(self) -> int:
        """Latent spatial sizes must be multiples of 2^(levels − 1) (8 for MAISI, §5.4)."""
        return 2 ** (len(self.num_channels) - 1)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


MAISI_DDPM_UNET = DiffusionUNetConfig(
    include_top_region_index_input=True, include_bottom_region_index_input=True
)
"""MAISI v1 `ddpm-ct` (`configs/config_network_ddpm.json`)."""

MAISI_RFLOW_UNET = DiffusionUNetConfig(num_class_embeds=128, resblock_updown=True, include_fc=True)
"""MAISI v2 `rflow-ct` / `rflow-mr` (`configs/config_network_rflow.json`)."""


class _ResBlock(nn.Module):
    """GroupNorm → SiLU → [resample] → conv1 → + proj(SiLU(emb)) → GroupNorm → SiLU → conv2 (zero-init), plus skip."""

    def __init__(
        self, in_ch: int, out_ch: int, emb_dim: int, groups: int, eps: float, up: bool = False, down: bool = False
    ) -> None:
        super().__init__()
        self.up, self.down = up, down
        self.norm1 = group_norm(in_ch, groups, eps)
        self.conv1 = WrappedConv(in_ch, out_ch)
        self.time_emb_proj = nn.Linear(emb_dim, out_ch)
        self.norm2 = group_norm(out_ch, groups, eps)
        self.conv2 = zero_(WrappedConv(out_ch, out_ch))
        self.skip_connection = WrappedConv(in_ch, out_ch, kernel_size=1) if in_ch != out_ch else None

    def _resample(self, x: torch.Tensor) -> torch.Tensor:
        if self.up:
            return F.interpolate(x, scale_factor=2.0, mode="nearest")
        if self.down:
            return F.avg_pool3d(x, kernel_size=2, stride=2)
        return x

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self._resample(F.silu(self.norm1(x)))
        x = self._resample(x)
        h = self.conv1(h)
        h = h + self.time_emb_proj(F.silu(emb))[:, :, None, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        skip = x if self.skip_connection is None else self.skip_connection(x)
        return skip + h


class _SelfAttention(nn.Module):
    """Multi-head self-attention over voxels: softmax(q·kᵀ/√d_head)·v (Vaswani et al. 2017, eq. 1)."""

    def __init__(self, ch: int, num_heads: int, include_fc: bool) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.to_q = nn.Linear(ch, ch)
        self.to_k = nn.Linear(ch, ch)
        self.to_v = nn.Linear(ch, ch)
        self.out_proj = nn.Linear(ch, ch) if include_fc else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        d = c // self.num_heads

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.reshape(b, n, self.num_heads, d).transpose(1, 2)

        q, k, v = heads(self.to_q(x)), heads(self.to_k(x)), heads(self.to_v(x))
        attn = torch.softmax(q @ k.transpose(-1, -2) * (d ** -0.5), dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, n, c)
        return out if self.out_proj is None else self.out_proj(out)


class _AttentionBlock(nn.Module):
    def __init__(self, ch: int, head_channels: int, groups: int, eps: float, include_fc: bool) -> None:
        super().__init__()
        self.norm = group_norm(ch, groups, eps)
        self.attn = _SelfAttention(ch, max(ch // head_channels, 1), include_fc)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c = x.shape[0], x.shape[1]
        spatial = x.shape[2:]
        h = self.norm(x).reshape(b, c, -1).transpose(1, 2)
        h = self.attn(h).transpose(1, 2).reshape(b, c, spatial[0], spatial[1], spatial[2])
        return x + h


class _Downsample(nn.Module):
    """Stride-2 3×3×3 convolution (`op`), MAISI v1."""

    def __init__(self, ch: int) -> None:
        super().__init__()
        self.op = WrappedConv(ch, ch, stride=2, padding=1)

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        return self.op(x)


class _Upsample(nn.Module):
    """Nearest ×2 then a 3×3×3 convolution (`postconv`), MAISI v1."""

    def __init__(self, ch: int) -> None:
        super().__init__()
        self.postconv = WrappedConv(ch, ch)

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        return self.postconv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class _DownBlock(nn.Module):
    def __init__(self, cfg: DiffusionUNetConfig, level: int, in_ch: int, emb_dim: int) -> None:
        super().__init__()
        out_ch = cfg.num_channels[level]
        g, eps = cfg.norm_num_groups, cfg.norm_eps
        self.resnets = nn.ModuleList(
            [_ResBlock(in_ch if i == 0 else out_ch, out_ch, emb_dim, g, eps) for i in range(cfg.num_res_blocks)]
        )
        self.attentions = (
            nn.ModuleList(
                [_AttentionBlock(out_ch, cfg.num_head_channels[level], g, eps, cfg.include_fc) for _ in self.resnets]
            )
            if cfg.attention_levels[level]
            else None
        )
        self.downsampler: nn.Module | None = None
        if level < len(cfg.num_channels) - 1:
            self.downsampler = (
                _ResBlock(out_ch, out_ch, emb_dim, g, eps, down=True) if cfg.resblock_updown else _Downsample(out_ch)
            )

    def forward(self, h: torch.Tensor, emb: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        outputs: list[torch.Tensor] = []
        for i, resnet in enumerate(self.resnets):
            h = resnet(h, emb)
            if self.attentions is not None:
                h = self.attentions[i](h)
            outputs.append(h)
        if self.downsampler is not None:
            h = self.downsampler(h, emb)
            outputs.append(h)
        return h, outputs


class _UpBlock(nn.Module):
    def __init__(self, cfg: DiffusionUNetConfig, index: int, prev_ch: int, emb_dim: int) -> None:
        super().__init__()
        rev = list(reversed(cfg.num_channels))
        level = len(rev) - 1 - index
        out_ch = rev[index]
        skip_in_ch = rev[min(index + 1, len(rev) - 1)]
        g, eps = cfg.norm_num_groups, cfg.norm_eps
        n = cfg.num_res_blocks + 1
        resnets = []
        for i in range(n):
            res_skip = skip_in_ch if i == n - 1 else out_ch
            res_in = prev_ch if i == 0 else out_ch
            resnets.append(_ResBlock(res_in + res_skip, out_ch, emb_dim, g, eps))
        self.resnets = nn.ModuleList(resnets)
        self.attentions = (
            nn.ModuleList([_AttentionBlock(out_ch, cfg.num_head_channels[level], g, eps, cfg.include_fc) for _ in range(n)])
            if cfg.attention_levels[level]
            else None
        )
        self.upsampler: nn.Module | None = None
        if index < len(rev) - 1:
            self.upsampler = _ResBlock(out_ch, out_ch, emb_dim, g, eps, up=True) if cfg.resblock_updown else _Upsample(out_ch)

    def forward(self, h: torch.Tensor, skips: list[torch.Tensor], emb: torch.Tensor) -> torch.Tensor:
        for i, resnet in enumerate(self.resnets):
            h = resnet(torch.cat([h, skips.pop()], dim=1), emb)
            if self.attentions is not None:
                h = self.attentions[i](h)
        if self.upsampler is not None:
            h = self.upsampler(h, emb)
        return h


class _MiddleBlock(nn.Module):
    def __init__(self, cfg: DiffusionUNetConfig, emb_dim: int) -> None:
        super().__init__()
        ch, g, eps = cfg.num_channels[-1], cfg.norm_num_groups, cfg.norm_eps
        self.resnet_1 = _ResBlock(ch, ch, emb_dim, g, eps)
        self.attention = _AttentionBlock(ch, cfg.num_head_channels[-1], g, eps, cfg.include_fc)
        self.resnet_2 = _ResBlock(ch, ch, emb_dim, g, eps)

    def forward(self, h: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        return self.resnet_2(self.attention(self.resnet_1(h, emb)), emb)


def _embedding_mlp(in_dim: int, out_dim: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(in_dim, out_dim), nn.SiLU(), nn.Linear(out_dim, out_dim))


class DiffusionUNet(nn.Module):
    """ε-prediction (DDPM) or velocity-prediction (rectified flow) network over 4-channel latents."""

    def __init__(self, cfg: DiffusionUNetConfig = MAISI_RFLOW_UNET) -> None:
        super().__init__()
        self.config = cfg
        ch0, ted = cfg.num_channels[0], cfg.time_embed_dim
        self.conv_in = WrappedConv(cfg.in_channels, ch0)
        self.time_embed = _embedding_mlp(ch0, ted)
        self.class_embedding = nn.Embedding(cfg.num_class_embeds, ted) if cfg.num_class_embeds is not None else None
        self.top_region_index_layer = _embedding_mlp(4, ted) if cfg.include_top_region_index_input else None
        self.bottom_region_index_layer = _embedding_mlp(4, ted) if cfg.include_bottom_region_index_input else None
        self.spacing_layer = _embedding_mlp(3, ted) if cfg.include_spacing_input else None
        emb_dim = ted * (
            1
            + int(cfg.include_top_region_index_input)
            + int(cfg.include_bottom_region_index_input)
            + int(cfg.include_spacing_input)
        )
        down = []
        ch = ch0
        for level in range(len(cfg.num_channels)):
            down.append(_DownBlock(cfg, level, ch, emb_dim))
            ch = cfg.num_channels[level]
        self.down_blocks = nn.ModuleList(down)
        self.middle_block = _MiddleBlock(cfg, emb_dim)
        up = []
        prev = cfg.num_channels[-1]
        for index in range(len(cfg.num_channels)):
            up.append(_UpBlock(cfg, index, prev, emb_dim))
            prev = list(reversed(cfg.num_channels))[index]
        self.up_blocks = nn.ModuleList(up)
        self.out = nn.Sequential(
            group_norm(ch0, cfg.norm_num_groups, cfg.norm_eps), nn.SiLU(), zero_(WrappedConv(ch0, cfg.out_channels))
        )

    def embedding(
        self,
        timesteps: torch.Tensor,
        spacing: torch.Tensor | None = None,
        top_region_index: torch.Tensor | None = None,
        bottom_region_index: torch.Tensor | None = None,
        class_labels: torch.Tensor | None = None,
    ) -> torch.Tensor:
        emb = self.time_embed(timestep_embedding(timesteps, self.config.num_channels[0]))
        if self.class_embedding is not None:
            if class_labels is None:
                raise ValueError("class_labels (modality) are required: num_class_embeds is set")
            emb = emb + self.class_embedding(class_labels)
        for layer, value, name in (
            (self.top_region_index_layer, top_region_index, "top_region_index"),
            (self.bottom_region_index_layer, bottom_region_index, "bottom_region_index"),
            (self.spacing_layer, spacing, "spacing"),
        ):
            if layer is not None:
                if value is None:
                    raise ValueError(f"{name} is required by this UNet configuration")
                emb = torch.cat([emb, layer(value)], dim=1)
        return emb

    def forward(
        self,
        x: torch.Tensor,
        timesteps: torch.Tensor,
        spacing: torch.Tensor | None = None,
        top_region_index: torch.Tensor | None = None,
        bottom_region_index: torch.Tensor | None = None,
        class_labels: torch.Tensor | None = None,
    ) -> torch.Tensor:
        emb = self.embedding(timesteps, spacing, top_region_index, bottom_region_index, class_labels)
        h = self.conv_in(x)
        skips = [h]
        for block in self.down_blocks:
            h, outputs = block(h, emb)
            skips.extend(outputs)
        h = self.middle_block(h, emb)
        for block in self.up_blocks:
            h = block(h, skips, emb)
        return self.out(h)
