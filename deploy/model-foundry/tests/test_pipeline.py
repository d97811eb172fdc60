from __future__ import annotations

import torch

from foundry.pipeline import Conditioning, bounding_box, dilate, inpaint
from foundry.reference_model import PRESETS, build_models
from foundry.schedulers import RectifiedFlowScheduler


def _cond() -> Conditioning:
    return Conditioning(torch.full((1, 3), 150.0), torch.tensor([[0.0, 0, 100, 0]]), torch.tensor([[0.0, 0, 100, 0]]),
                        torch.tensor([1]))


def test_dilate_singleVoxel_grows26Neighbourhood() -> None:
    m = torch.zeros(1, 1, 5, 5, 5)
    m[0, 0, 2, 2, 2] = 1
    assert int(dilate(m, 1).sum()) == 27 and int(dilate(m, 2).sum()) == 125


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
