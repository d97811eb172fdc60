from __future__ import annotations

import pytest
import torch

from foundry.autoencoder import Autoencoder
from foundry.diffusion_unet import DiffusionUNet
from foundry.layers import perturb_zero_initialised
from foundry.reference_model import PRESETS, build_models


def _cond(batch: int = 1) -> dict[str, torch.Tensor]:
    return {
        "spacing": torch.full((batch, 3), 150.0),
        "top_region_index": torch.tensor([[0.0, 0.0, 100.0, 0.0]] * batch),
        "bottom_region_index": torch.tensor([[0.0, 0.0, 100.0, 0.0]] * batch),
        "class_labels": torch.ones(batch, dtype=torch.int64),
    }


def test_autoencoder_encode_nonCubicImage_givesQuarterLatentAndThreeStageFeatures() -> None:
    ae = Autoencoder(PRESETS["tiny"].autoencoder).eval()
    with torch.no_grad():
        mu, sigma, feats = ae.encode_with_features(torch.rand(1, 1, 8, 12, 16))
        recon = ae.decode(mu)
    assert mu.shape == (1, 4, 2, 3, 4) and sigma.shape == mu.shape and bool((sigma > 0).all())
    assert [tuple(f.shape) for f in feats] == [(1, 2, 8, 12, 16), (1, 4, 4, 6, 8), (1, 6, 2, 3, 4)]
    assert recon.shape == (1, 1, 8, 12, 16)


def test_unet_forward_latentMultipleOf8_keepsShape() -> None:
    unet = DiffusionUNet(PRESETS["tiny"].unet).eval()
    with torch.no_grad():
        out = unet(torch.randn(2, 4, 8, 16, 24), torch.tensor([10.0, 900.0]), **_cond(2))
    assert out.shape == (2, 4, 8, 16, 24)


def test_unet_forward_latentNotMultipleOf8_fails() -> None:
    unet = DiffusionUNet(PRESETS["tiny"].unet).eval()
    with pytest.raises(RuntimeError), torch.no_grad():
        unet(torch.randn(1, 4, 12, 12, 12), torch.tensor([10.0]), **_cond())


def test_unet_forward_missingModality_raisesNamedError() -> None:
    unet = DiffusionUNet(PRESETS["tiny"].unet).eval()
    cond = _cond()
    del cond["class_labels"]
    with pytest.raises(ValueError, match="class_labels"):
        unet(torch.randn(1, 4, 8, 8, 8), torch.tensor([10.0]), **cond)


def test_unet_conditioning_changesPrediction() -> None:
    models = build_models(PRESETS["tiny"], seed=3)
    unet = models.unet.eval()
    perturb_zero_initialised(unet, seed=4)  # the zero-initialised conv2 and output conv would hide every difference
    x, t = torch.randn(1, 4, 8, 8, 8), torch.tensor([500.0])
    with torch.no_grad():
        a = unet(x, t, **_cond())
        b = unet(x, t, **{**_cond(), "spacing": torch.full((1, 3), 300.0)})
        c = unet(x, t, **{**_cond(), "class_labels": torch.tensor([8])})
    assert not torch.allclose(a, b) and not torch.allclose(a, c)


def test_aova_logits_shapeAndPromptSwap() -> None:
    models = build_models(PRESETS["tiny"], seed=1)
    ae, aova = models.autoencoder.eval(), models.aova.eval()
    with torch.no_grad():
        _, _, feats = ae.encode_with_features(torch.rand(1, 1, 16, 16, 16))
        prompts = torch.nn.functional.normalize(torch.randn(3, 2, 384), dim=-1)
        logits = aova(*feats, prompts)
        swapped = aova(*feats, prompts.flip(1))  # normal ↔ abnormal
    assert logits.shape == (1, 3, 4, 4, 4)
    bias = aova.bias.item()
    assert torch.allclose(logits - bias, -(swapped - bias), atol=1e-5)


def test_refinement_logit_shape() -> None:
    head = build_models(PRESETS["tiny"], seed=1).refinement.eval()
    img = torch.rand(1, 1, 16, 16, 16)
    with torch.no_grad():
        out = head(img, img, img * 0, torch.randn(1, 6, 4, 4, 4), torch.rand(1, 1, 16, 16, 16))
    assert out.shape == (1, 1, 16, 16, 16)


def test_refinement_withoutFeatureResidual_ignoresItButKeepsItsInput() -> None:
    from foundry.reference_model import model_config

    head = build_models(model_config("tiny", {"heads_feature_input": False}), seed=1).refinement.eval()
    img, healthy, anomaly = torch.rand(1, 1, 16, 16, 16), torch.rand(1, 1, 16, 16, 16), torch.rand(1, 1, 16, 16, 16)
    with torch.no_grad():
        zeros = head(img, healthy, (img - healthy).abs(), torch.zeros(1, 6, 4, 4, 4), anomaly)
        noise = head(img, healthy, (img - healthy).abs(), torch.randn(1, 6, 4, 4, 4), anomaly)
    assert torch.equal(zeros, noise)  # method (d)'s head: the pixel residual and the AOVA, no feature evidence
    default = build_models(model_config("tiny", {}), seed=1).refinement.eval()
    with torch.no_grad():
        assert not torch.equal(default(img, healthy, (img - healthy).abs(), torch.zeros(1, 6, 4, 4, 4), anomaly),
                               default(img, healthy, (img - healthy).abs(), torch.randn(1, 6, 4, 4, 4), anomaly))


def test_refinement_withoutPixelResidual_ignoresThePixelLevelDifferencesButKeepsTheirInputs() -> None:
    from foundry.reference_model import model_config

    head = build_models(model_config("tiny", {"heads_pixel_input": False}), seed=1).refinement.eval()
    img, feature, anomaly = torch.rand(1, 1, 16, 16, 16), torch.randn(1, 6, 4, 4, 4), torch.rand(1, 1, 16, 16, 16)
    healthy = [torch.rand(1, 1, 16, 16, 16) for _ in range(2)]
    with torch.no_grad():
        first, second = (head(img, h, (img - h).abs(), feature, anomaly) for h in healthy)
        other_feature = head(img, healthy[0], (img - healthy[0]).abs(), torch.randn(1, 6, 4, 4, 4), anomaly)
    assert torch.equal(first, second)  # only the feature residual and the AOVA speak
    assert not torch.equal(first, other_feature)


def test_refinement_residualsOnly_ignoresTheAnomalyMapButKeepsItsInput() -> None:
    from foundry.reference_model import model_config

    head = build_models(model_config("tiny", {"heads_anomaly_input": False}), seed=1).refinement.eval()
    img, healthy = torch.rand(1, 1, 16, 16, 16), torch.rand(1, 1, 16, 16, 16)
    args = (img, healthy, (img - healthy).abs(), torch.randn(1, 6, 4, 4, 4))
    with torch.no_grad():
        low, high = head(*args, torch.full_like(img, 0.01)), head(*args, torch.full_like(img, 0.99))
    assert torch.equal(low, high)  # the AOVA only chooses where to inpaint; the residuals decide
    assert float(head.anomaly_gain) == 0.0 and not head.anomaly_gain.requires_grad
    default = build_models(model_config("tiny", {}), seed=1).refinement.eval()
    with torch.no_grad():
        assert not torch.equal(default(*args, torch.full_like(img, 0.01)), default(*args, torch.full_like(img, 0.99)))
