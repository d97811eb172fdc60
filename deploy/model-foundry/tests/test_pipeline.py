from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from foundry.pipeline import Conditioning, blockwise, bounding_box, dilate, inpaint, pseudo_healthy, renoise
from foundry.reference_model import PRESETS, build_models
from foundry.schedulers import RectifiedFlowScheduler


def _cond() -> Conditioning:
    return Conditioning(torch.full((1, 3), 150.0), torch.tensor([[0.0, 0, 100, 0]]), torch.tensor([[0.0, 0, 100, 0]]),
                        torch.tensor([1]))


def test_dilate_singleVoxel_grows26Neighbourhood() -> None:
    m = torch.zeros(1, 1, 5, 5, 5)
    m[0, 0, 2, 2, 2] = 1
    assert int(dilate(m, 1).sum()) == 27 and int(dilate(m, 2).sum()) == 125


def test_blockwise_eachBlockAlone_likeTheNodesTiling() -> None:
    x = torch.rand(1, 2, 8, 16, 24, generator=torch.Generator().manual_seed(3))
    # a per-block normalisation sees only its block: each output block is its own block's standardisation
    out = blockwise(lambda b: (b - b.mean()) / b.std(), x, 8)
    block = x[:, :, :, 8:16, 16:24]
    assert torch.allclose(out[:, :, :, 8:16, 16:24], (block - block.mean()) / block.std())
    assert not torch.allclose(out, (x - x.mean()) / x.std())
    # a downsampling network's output lands at the block's scaled position
    # outputs on coarser grids land at their block's scaled position
    pooled, coarser = blockwise(lambda b: (F.avg_pool3d(b, 2), F.avg_pool3d(b, 4)), x, 8)
    assert pooled.shape == (1, 2, 4, 8, 12) and torch.allclose(pooled, F.avg_pool3d(x, 2))
    assert torch.allclose(coarser, F.avg_pool3d(x, 4))
    assert torch.equal(blockwise(lambda b: b - b.mean(), x, None), x - x.mean())
    with pytest.raises(ValueError, match="multiple"):
        blockwise(lambda b: b, torch.zeros(1, 1, 8, 8, 12), 8)


def test_boundingBox_marginAndMultiple_clampedToGrid() -> None:
    m = torch.zeros(1, 1, 16, 24, 32)
    m[0, 0, 5, 20, 3] = 1
    box = bounding_box(m, margin=2, multiple=8)
    assert box is not None
    for s, n in zip(box, (16, 24, 32)):
        assert (s.stop - s.start) % 8 == 0 and 0 <= s.start and s.stop <= n
    assert box[1].start <= 18 and box[1].stop >= 21
    assert bounding_box(torch.zeros(1, 1, 8, 8, 8), 2, 8) is None


def test_inpaint_outsideMask_endsExactlyAtOriginalLatent() -> None:
    unet = build_models(PRESETS["tiny"], seed=5).unet.eval()
    z0 = torch.randn(1, 4, 8, 8, 8)
    mask = torch.zeros(1, 1, 8, 8, 8)
    mask[..., 2:5, 2:5, 2:5] = 1
    out = inpaint(unet, RectifiedFlowScheduler(), z0, mask, _cond(), steps=5, strength=0.6, generator=torch.Generator().manual_seed(0))
    assert torch.equal(out * (1 - mask), z0 * (1 - mask))
    assert not torch.allclose(out * mask, z0 * mask)


def test_inpaint_fullStrength_keepsNothingOfTheRepaintedRegion() -> None:
    # At strength 1 the region starts as pure noise: two latents that differ only inside the mask inpaint identically
    # (what the region held, a lesion, cannot survive into the pseudo-healthy image); at 0.6 some of it does.
    unet = build_models(PRESETS["tiny"], seed=5).unet.eval()
    z0 = torch.randn(1, 4, 8, 8, 8, generator=torch.Generator().manual_seed(1))
    mask = torch.zeros(1, 1, 8, 8, 8)
    mask[..., 2:5, 2:5, 2:5] = 1
    lesion = z0 + 3.0 * mask

    def run(z: torch.Tensor, strength: float) -> torch.Tensor:
        return inpaint(unet, RectifiedFlowScheduler(), z, mask, _cond(), steps=5, strength=strength,
                       generator=torch.Generator().manual_seed(0))

    assert torch.allclose(run(z0, 1.0), run(lesion, 1.0), atol=1e-5)
    assert not torch.allclose(run(z0, 0.6), run(lesion, 0.6), atol=1e-3)


def test_inpaint_givenNoise_sharedByTwoBatchItems_likeTheGeneratorsOwnDraw() -> None:
    # A probe inpaints a lesion case and its healthy twin in one batch with the same draw: each item then ends where a
    # batch of one with that draw from the generator ends.
    unet = build_models(PRESETS["tiny"], seed=5).unet.eval()
    z0 = torch.randn(2, 4, 8, 8, 8, generator=torch.Generator().manual_seed(1))
    mask = torch.zeros(1, 1, 8, 8, 8)
    mask[..., 2:5, 2:5, 2:5] = 1
    eps = torch.randn((1, 4, 8, 8, 8), generator=torch.Generator().manual_seed(0))
    cond = Conditioning(*(torch.cat([v, v]) for v in (_cond().spacing, _cond().top_region_index, _cond().bottom_region_index, _cond().class_label)))

    both = inpaint(unet, RectifiedFlowScheduler(), z0, mask, cond, steps=5, strength=0.6, generator=torch.Generator(), noise=torch.cat([eps, eps]))
    alone = [inpaint(unet, RectifiedFlowScheduler(), z0[i:i + 1], mask, _cond(), steps=5, strength=0.6, generator=torch.Generator().manual_seed(0))
             for i in range(2)]

    assert torch.allclose(both, torch.cat(alone), atol=1e-5)


def test_inpaint_resample_repeatsEveryStepButTheLastAndStillEndsAtTheKnownLatent() -> None:
    unet = build_models(PRESETS["tiny"], seed=5).unet.eval()
    z0 = torch.randn(1, 4, 8, 8, 8, generator=torch.Generator().manual_seed(2))
    mask = torch.zeros(1, 1, 8, 8, 8)
    mask[..., 2:5, 2:5, 2:5] = 1
    calls = []

    def counted(x: torch.Tensor, t: torch.Tensor, **kwargs: torch.Tensor) -> torch.Tensor:
        calls.append(float(t[0]))
        return unet(x, t, **kwargs)

    def run(resample: int) -> torch.Tensor:
        calls.clear()
        return inpaint(counted, RectifiedFlowScheduler(), z0, mask, _cond(), steps=5, strength=0.6,  # type: ignore[arg-type]
                       generator=torch.Generator().manual_seed(0), resample=resample)

    plain = run(1)
    assert len(calls) == 3
    assert torch.equal(plain, inpaint(unet, RectifiedFlowScheduler(), z0, mask, _cond(), steps=5, strength=0.6,
                                      generator=torch.Generator().manual_seed(0)))
    resampled = run(4)
    assert len(calls) == 4 + 4 + 1 and calls[:4] == [calls[0]] * 4
    assert torch.equal(resampled * (1 - mask), z0 * (1 - mask))
    assert not torch.allclose(resampled * mask, plain * mask)
    with pytest.raises(ValueError, match="at least 1"):
        run(0)


def test_renoise_forwardTransition_givesTheLaterMarginal() -> None:
    # x_s = (1 − s)·x0 + s·ε carried to t must have x_t's mean (1 − t)·x0 and standard deviation t
    x0 = torch.full((200_000,), 2.0)
    g = torch.Generator().manual_seed(4)
    xs = 0.7 * x0 + 0.3 * torch.randn(x0.shape, generator=g)
    xt = renoise(xs, 300.0, 800.0, 1000, g)
    assert abs(float(xt.mean()) - 0.2 * 2.0) < 0.01 and abs(float(xt.std()) - 0.8) < 0.01
    with pytest.raises(ValueError, match="forward"):
        renoise(xs, 800.0, 300.0, 1000, g)


def test_pseudoHealthy_residualsAgainstReconstruction_zeroWhereTheLatentWasKept() -> None:
    models = build_models(PRESETS["tiny"], seed=5)
    ae, unet = models.autoencoder.eval(), models.unet.eval()
    image = torch.rand(1, 1, 64, 64, 64)
    candidate = torch.zeros_like(image)
    candidate[..., 4:8, 4:8, 4:8] = 1  # one latent voxel near a corner
    r = pseudo_healthy(ae, unet, RectifiedFlowScheduler(), image, candidate, _cond(), scale_factor=1.0, steps=5,
                       strength=0.6, dilation=0, margin=0, generator=torch.Generator().manual_seed(0))
    box = bounding_box(candidate[..., ::4, ::4, ::4], margin=0, multiple=unet.config.latent_multiple)
    assert box is not None and box[0].stop * 4 < 64
    edge = box[0].stop * 4  # first image slice past the box
    assert torch.equal(r.pixel_residual, (r.reconstruction - r.pseudo_healthy).abs())
    assert r.pixel_residual[..., 4:8, 4:8, 4:8].max() > 0  # the inpainted latent voxel changed
    assert torch.equal(r.reconstruction[..., edge:, :, :], image[..., edge:, :, :])  # outside the box: the image itself
    # Far from the candidate inside the box, both decodes see the same latent: next to no residual there (the decoder's
    # group norms see the whole box), whatever the VAE's own reconstruction error (which |I − H| shows).
    far = (..., slice(edge - 4, edge), slice(edge - 4, edge), slice(edge - 4, edge))
    assert float(r.pixel_residual[far].max()) < 0.01
    assert float((image - r.pseudo_healthy)[far].abs().mean()) > 0.1


def test_pseudoHealthy_samples_averageIndependentInpaintings() -> None:
    models = build_models(PRESETS["tiny"], seed=5)
    ae, unet = models.autoencoder.eval(), models.unet.eval()
    image = torch.rand(1, 1, 64, 64, 64)
    candidate = torch.zeros_like(image)
    candidate[..., 4:8, 4:8, 4:8] = 1

    def run(samples: int, seed: int = 0) -> torch.Tensor:
        return pseudo_healthy(ae, unet, RectifiedFlowScheduler(), image, candidate, _cond(), scale_factor=1.0, steps=5, strength=0.6,
                              dilation=0, margin=0, generator=torch.Generator().manual_seed(seed), samples=samples).pseudo_healthy

    one, two = run(1), run(2)
    assert torch.equal(one, run(1))  # the generator alone decides
    # Two samples: the first is the single sample's draw, the second the generator's next; H is their mean.
    gen = torch.Generator().manual_seed(0)
    z0 = ae.encode_with_features(image)[0]
    mask = candidate[..., ::4, ::4, ::4]  # the candidate is one whole latent voxel
    box = bounding_box(mask, 0, unet.config.latent_multiple)
    assert box is not None
    zs = [inpaint(unet, RectifiedFlowScheduler(), z0[(...,) + box], mask[(...,) + box], _cond(), 5, 0.6, gen) for _ in range(2)]
    expected = ae.decode(torch.cat(zs)).mean(dim=0, keepdim=True)
    image_box = tuple(slice(s.start * 4, s.stop * 4) for s in box)
    assert torch.allclose(two[(...,) + image_box], expected, atol=1e-5)
    assert not torch.allclose(two, one)
