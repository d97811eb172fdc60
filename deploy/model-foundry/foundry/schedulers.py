"""Reference noise schedulers with MAISI's exact semantics (DiffuGTS method notes §5.7).

These are the numerical reference for the C# schedulers: `make_tiny_package.py` writes their values to
`scheduler_reference.json`. Notation follows the papers: β_t, α_t = 1 − β_t, ᾱ_t = ∏_{s≤t} α_s (Ho et al. 2020);
rectified flow x_t = (1 − t/T)·x_0 + (t/T)·ε with velocity v = x_0 − ε (Liu et al. 2023; MAISI v2).
Every `step` returns a tuple (next_sample, predicted_x0), as MONAI's schedulers do.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch


def scaled_linear_betas(num_train_timesteps: int, beta_start: float, beta_end: float) -> torch.Tensor:
    """β_t = (linspace(√β_start, √β_end, N))², computed in float32."""
    return torch.linspace(beta_start ** 0.5, beta_end ** 0.5, num_train_timesteps, dtype=torch.float32) ** 2


@dataclass(frozen=True)
class DdpmConfig:
    """MAISI v1 `ddpm-ct`: 1000 steps, scaled-linear β from 0.0015 to 0.0195, ε-prediction, no clipping."""

    num_train_timesteps: int = 1000
    beta_start: float = 0.0015
    beta_end: float = 0.0195
    schedule: str = "scaled_linear_beta"
    prediction_type: str = "epsilon"
    clip_sample: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"name": "ddpm", **asdict(self)}


class DdpmScheduler:
    def __init__(self, cfg: DdpmConfig = DdpmConfig()) -> None:
        self.config = cfg
        self.betas = scaled_linear_betas(cfg.num_train_timesteps, cfg.beta_start, cfg.beta_end)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, dim=0)
        self.timesteps = torch.arange(cfg.num_train_timesteps - 1, -1, -1, dtype=torch.int64)

    def set_timesteps(self, num_inference_steps: int) -> torch.Tensor:
        """step_ratio = N // n; timesteps = k·step_ratio for k = n−1 … 0 (descending)."""
        ratio = self.config.num_train_timesteps // num_inference_steps
        self.timesteps = torch.arange(num_inference_steps - 1, -1, -1, dtype=torch.int64) * ratio
        return self.timesteps

    def add_noise(self, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """q(x_t | x_0) = N(√ᾱ_t·x_0, (1 − ᾱ_t)·I) (Ho et al. eq. 4)."""
        abar = self.alphas_cumprod[t.long()].reshape(-1, *([1] * (x0.dim() - 1)))
        return abar.sqrt() * x0 + (1.0 - abar).sqrt() * noise

    def posterior(self, eps_hat: torch.Tensor, t: int, x_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(μ̃_t, x̂_0, σ²_t) of one reverse step. ᾱ_prev is always the adjacent training step ᾱ_{t−1} (1 at t = 0),
        even when strided, as in MONAI."""
        abar_t = self.alphas_cumprod[t]
        abar_prev = self.alphas_cumprod[t - 1] if t > 0 else torch.tensor(1.0)
        beta_t = self.betas[t]
        alpha_t = self.alphas[t]
        x0_hat = (x_t - (1 - abar_t).sqrt() * eps_hat) / abar_t.sqrt()
        if self.config.clip_sample:
            x0_hat = x0_hat.clamp(-1.0, 1.0)
        # Posterior mean μ̃_t (Ho et al. eq. 7).
        mean = (abar_prev.sqrt() * beta_t / (1 - abar_t)) * x0_hat + (alpha_t.sqrt() * (1 - abar_prev) / (1 - abar_t)) * x_t
        # "fixed_small" variance σ²_t = max((1 − ᾱ_prev)/(1 − ᾱ_t)·β_t, 1e-20); no noise at t = 0.
        variance = torch.clamp((1 - abar_prev) / (1 - abar_t) * beta_t, min=1e-20) if t > 0 else torch.tensor(0.0)
        return mean, x0_hat, variance

    def step(
        self, eps_hat: torch.Tensor, t: int, x_t: torch.Tensor, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mean, x0_hat, variance = self.posterior(eps_hat, t, x_t)
        if t > 0:
            mean = mean + variance.sqrt() * torch.randn(x_t.shape, generator=generator, dtype=x_t.dtype)
        return mean, x0_hat


@dataclass(frozen=True)
class DdimConfig:
    num_train_timesteps: int = 1000
    beta_start: float = 0.0015
    beta_end: float = 0.0195
    clip_sample: bool = False
    set_alpha_to_one: bool = True
    steps_offset: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"name": "ddim", **asdict(self)}


class DdimScheduler:
    """DDIM (Song et al. 2021, eqs. 12 and 16) on the MAISI v1 β schedule; `clip_sample` off for scaled latents."""

    def __init__(self, cfg: DdimConfig = DdimConfig()) -> None:
        self.config = cfg
        self.betas = scaled_linear_betas(cfg.num_train_timesteps, cfg.beta_start, cfg.beta_end)
        self.alphas_cumprod = torch.cumprod(1.0 - self.betas, dim=0)
        self.final_alpha_cumprod = torch.tensor(1.0) if cfg.set_alpha_to_one else self.alphas_cumprod[0]
        self.num_inference_steps = cfg.num_train_timesteps
        self.timesteps = torch.arange(cfg.num_train_timesteps - 1, -1, -1, dtype=torch.int64)

    def set_timesteps(self, num_inference_steps: int) -> torch.Tensor:
        self.num_inference_steps = num_inference_steps
        ratio = self.config.num_train_timesteps // num_inference_steps
        self.timesteps = torch.arange(num_inference_steps - 1, -1, -1, dtype=torch.int64) * ratio + self.config.steps_offset
        return self.timesteps

    def step(
        self, eps_hat: torch.Tensor, t: int, x_t: torch.Tensor, eta: float = 0.0, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        t_prev = t - self.config.num_train_timesteps // self.num_inference_steps
        abar_t = self.alphas_cumprod[t]
        abar_prev = self.alphas_cumprod[t_prev] if t_prev >= 0 else self.final_alpha_cumprod
        x0_hat = (x_t - (1 - abar_t).sqrt() * eps_hat) / abar_t.sqrt()
        if self.config.clip_sample:
            x0_hat = x0_hat.clamp(-1.0, 1.0)
        sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
        x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_hat
        if eta > 0:
            x_prev = x_prev + sigma * torch.randn(x_t.shape, generator=generator, dtype=x_t.dtype)
        return x_prev, x0_hat


@dataclass(frozen=True)
class RectifiedFlowConfig:
    """MAISI v2 `rflow-ct`: continuous timesteps, resolution-dependent timestep transform, uniform sampling, 30 steps."""

    num_train_timesteps: int = 1000
    use_discrete_timesteps: bool = False
    use_timestep_transform: bool = True
    sample_method: str = "uniform"
    scale: float = 1.4
    transform_scale: float = 1.0
    base_img_size_numel: int = 32 * 32 * 32
    steps_offset: int = 0
    prediction_type: str = "velocity"

    def to_dict(self) -> dict[str, object]:
        return {"name": "rectified_flow", **asdict(self)}


class RectifiedFlowScheduler:
    def __init__(self, cfg: RectifiedFlowConfig = RectifiedFlowConfig()) -> None:
        self.config = cfg
        self.timesteps = torch.zeros(0)

    def timestep_transform(self, t: torch.Tensor, input_img_size_numel: int) -> torch.Tensor:
        """s = t/T; r = (numel/base)^(1/3)·transform_scale; s′ = r·s / (1 + (r − 1)·s); returns T·s′."""
        s = t / self.config.num_train_timesteps
        ratio = (input_img_size_numel / self.config.base_img_size_numel) ** (1.0 / 3.0) * self.config.transform_scale
        s = ratio * s / (1 + (ratio - 1) * s)
        return s * self.config.num_train_timesteps

    def set_timesteps(self, num_inference_steps: int, input_img_size_numel: int) -> torch.Tensor:
        """t_i = (1 − i/n)·T for i < n, transformed, rounded to float16, plus `steps_offset`."""
        n, big_t = num_inference_steps, self.config.num_train_timesteps
        t = torch.tensor([(1.0 - i / n) * big_t for i in range(n)], dtype=torch.float32)
        if self.config.use_timestep_transform:
            t = self.timestep_transform(t, input_img_size_numel)
        self.timesteps = t.to(torch.float16).to(torch.float32) + self.config.steps_offset
        return self.timesteps

    def next_timesteps(self) -> list[tuple[float, float]]:
        """Pairs (t, next_t) for the sampling loop; the last t pairs with 0."""
        ts = [float(v) for v in self.timesteps]
        return list(zip(ts, ts[1:] + [0.0]))

    def add_noise(self, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """x_t = (1 − t/T)·x_0 + (t/T)·ε; t = T is pure noise."""
        s = (t.float() / self.config.num_train_timesteps).reshape(-1, *([1] * (x0.dim() - 1)))
        return (1 - s) * x0 + s * noise

    def sample_timesteps(
        self, batch: int, input_img_size_numel: int, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """Training timesteps: uniform on [0, T), then the same resolution transform as sampling."""
        t = torch.rand(batch, generator=generator) * self.config.num_train_timesteps
        if self.config.use_timestep_transform:
            t = self.timestep_transform(t, input_img_size_numel)
        return t

    def step(self, v: torch.Tensor, t: float, x: torch.Tensor, next_t: float) -> tuple[torch.Tensor, torch.Tensor]:
        """Euler step x ← x + v·(t − next_t)/T. MONAI casts next_t to int before computing dt while t keeps its
        float16-rounded value; we do the same so the C# port can match it. Second value: x̂_0 = x + v·t/T."""
        big_t = self.config.num_train_timesteps
        dt = (t - int(next_t)) / big_t
        return x + v * dt, x + v * (t / big_t)
