"""Small building blocks shared by the MAISI-layout autoencoder and diffusion UNet.

The state-dict layout of MAISI nests every convolution inside one or two wrapper modules (MONAI's
`Convolution`, and for the autoencoder also `MaisiConvolution`), so a key reads `conv1.conv.conv.weight`.
`WrappedConv` reproduces that nesting without copying MONAI's classes: it only names the attribute `conv`.
"""
from __future__ import annotations

import math

import torch
from torch import nn


class Conv3d(nn.Conv3d):
    """`nn.Conv3d` (same parameters and state-dict keys) that always takes oneDNN's kernels on CPU.

    PyTorch 1.13 picks its naive `slow_conv3d` for a batch of one with 3×3×3 kernels and few channels, which made a
    training step about 20× slower on our 2-core machines. Export (tracing) keeps the standard operator, so the ONNX
    graphs are unchanged; results agree with the standard path to float32 rounding.
    """

    def _conv_forward(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        if (
            x.device.type == "cpu" and x.dtype == torch.float32 and self.padding_mode == "zeros"
            and isinstance(self.padding, tuple) and not torch.jit.is_tracing() and not torch.jit.is_scripting()
            and torch.backends.mkldnn.is_available()
        ):
            return torch.mkldnn_convolution(
                x.contiguous(), weight.contiguous(), bias, list(self.padding), list(self.stride), list(self.dilation), self.groups
            )
        return super()._conv_forward(x, weight, bias)


class WrappedConv(nn.Module):
    """A 3D convolution reached through `depth` attributes named `conv` (depth 1 → `conv.weight`)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        padding: int | None = None,
        depth: int = 1,
    ) -> None:
        super().__init__()
        pad = kernel_size // 2 if padding is None else padding
        inner: nn.Module = Conv3d(in_channels, out_channels, kernel_size, stride=stride, padding=pad)
        for _ in range(depth - 1):
            inner = _Nest(inner)
        self.conv = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class _Nest(nn.Module):
    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.conv = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def group_norm(channels: int, groups: int, eps: float) -> nn.GroupNorm:
    return nn.GroupNorm(num_groups=groups, num_channels=channels, eps=eps, affine=True)


def timestep_embedding(timesteps: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding (Ho et al. 2020, after Vaswani et al. 2017): [cos(t·f_i), sin(t·f_i)],
    f_i = exp(−ln(max_period)·i/half) for i < half = dim // 2. Cosines come first, as in MAISI."""
    half = dim // 2
    exponent = -math.log(max_period) * torch.arange(half, dtype=torch.float32, device=timesteps.device) / half
    args = timesteps.float()[:, None] * torch.exp(exponent)[None, :]
    embedding = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    if dim % 2 == 1:
        embedding = nn.functional.pad(embedding, (0, 1))
    return embedding


def zero_(module: nn.Module) -> nn.Module:
    """Zero a layer's parameters so a residual branch starts as the identity (MAISI zero-inits conv2 and the output conv)."""
    for p in module.parameters():
        nn.init.zeros_(p)
    return module


def perturb_zero_initialised(module: nn.Module, seed: int, std: float = 0.05) -> nn.Module:
    """Gives every all-zero weight tensor small seeded random values. Random-weight test packages need this: with MAISI's
    zero-initialised conv2 and output conv a fresh UNet predicts exactly 0, which would make its golden output useless."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            if p.dim() > 1 and not p.any():
                p.copy_(torch.randn(p.shape, generator=gen) * std)
    return module
