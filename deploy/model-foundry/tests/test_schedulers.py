from __future__ import annotations

import math

import torch

from foundry.schedulers import DdimScheduler, DdpmScheduler, RectifiedFlowScheduler, scaled_linear_betas


def test_scaledLinearBetas_endpoints_matchMaisiV1() -> None:
    b = scaled_linear_betas(1000, 0.0015, 0.0195)
    assert b.dtype == torch.float32 and b.shape == (1000,)
    assert math.isclose(float(b[0]), 0.0015, rel_tol=1e-6) and math.isclose(float(b[-1]), 0.0195, rel_tol=1e-6)
    assert bool((b[1:] > b[:-1]).all())


def test_ddpm_setTimesteps_descendingStride() -> None:
    assert DdpmScheduler().set_timesteps(10).tolist() == [900, 800, 700, 600, 500, 400, 300, 200, 100, 0]


def test_ddpm_posterior_exactNoise_recoversX0() -> None:
    s = DdpmScheduler()
    x0, eps = torch.randn(16), torch.randn(16)
    t = 700
    x_t = s.add_noise(x0[None], eps[None], torch.tensor([t]))[0]
    mean, x0_hat, var = s.posterior(eps, t, x_t)
    assert torch.allclose(x0_hat, x0, atol=1e-4)
    assert float(var) > 0
    # at t = 0 the step is deterministic and returns x̂0 (ᾱ_prev = 1)
    x1 = s.add_noise(x0[None], eps[None], torch.tensor([0]))[0]
    out, _ = s.step(eps, 0, x1)
    assert torch.allclose(out, x0, atol=1e-4)


def test_ddim_etaZero_exactNoise_reachesX0() -> None:
    s = DdimScheduler()
    ts = s.set_timesteps(50)
    x0, eps = torch.randn(8), torch.randn(8)
    x = s.alphas_cumprod[int(ts[0])].sqrt() * x0 + (1 - s.alphas_cumprod[int(ts[0])]).sqrt() * eps
    for t in ts.tolist():
        x, _ = s.step(eps, t, x, eta=0.0)
    assert torch.allclose(x, x0, atol=1e-4)


def test_rflow_setTimesteps_startsAt1000_float16Rounded_andShiftsWithSize() -> None:
    s = RectifiedFlowScheduler()
    small = s.set_timesteps(30, 8 * 8 * 8).clone()
    large = s.set_timesteps(30, 64 * 64 * 32).clone()
    assert small[0] == 1000.0 and large[0] == 1000.0 and len(small) == 30
    assert torch.equal(large, large.half().float())
    assert bool((large[1:] > small[1:]).all())  # larger volumes spend more steps at the noisy end


def test_rflow_step_exactVelocity_reachesX0() -> None:
    s = RectifiedFlowScheduler(type(RectifiedFlowScheduler().config)(use_timestep_transform=False))
    s.set_timesteps(10, 4096)
    x0, eps = torch.randn(8), torch.randn(8)
    x = s.add_noise(x0[None], eps[None], torch.tensor([1000.0]))[0]
    assert torch.allclose(x, eps)
    first = True
    for t, nxt in s.next_timesteps():
        x_before = x
        x, x0_hat = s.step(x0 - eps, t, x, nxt)
        if first:  # from pure noise, x̂0 = x + v·t/T is exact on a straight path
            assert torch.allclose(x0_hat, x0, atol=1e-5)
            first = False
        assert not torch.equal(x, x_before)
    assert torch.allclose(x, x0, atol=1e-4)


def test_rflow_step_castsNextTimestepToInt() -> None:
    s = RectifiedFlowScheduler()
    x, v = torch.zeros(1), torch.ones(1)
    nxt, _ = s.step(v, 935.5, x, 875.75)
    assert math.isclose(float(nxt), (935.5 - 875) / 1000, rel_tol=1e-6)
