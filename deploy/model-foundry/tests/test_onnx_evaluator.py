from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from onnx import helper

import make_tiny_package
from foundry.onnx_evaluator import UnsupportedOperator, run
from foundry.onnx_graphs import AovaGraph, DiffusionUNetGraph, Layout, VaeDecoderGraph, VaeEncoderGraph
from foundry.maisi import VARIANTS, tiny_variant
from foundry.autoencoder import Autoencoder

COMMITTED = Path(__file__).resolve().parents[2] / "models" / "tiny"


def _reference_tiny() -> tuple:  # type: ignore[type-arg]
    return make_tiny_package.reference_tiny_models()


def test_committedGraphs_otherSizeThanTraced_matchPyTorch() -> None:
    """The graphs have dynamic spatial axes: at a size never traced they still compute what PyTorch does."""
    models = _reference_tiny()
    gen = torch.Generator().manual_seed(11)
    image = torch.rand((1, 1, 12, 8, 20), generator=gen)
    with torch.no_grad():
        enc = VaeEncoderGraph(models.autoencoder, Layout.LPS_ZYX)(image)
    got = run(onnx.load(str(COMMITTED / "reference-tiny" / "vae_encoder.onnx")), {"image": image.numpy()})
    for name, want in zip(("latent_mean", "f1", "f2", "f3"), enc):
        np.testing.assert_allclose(got[name], want.numpy(), rtol=1e-4, atol=1e-5, err_msg=name)

    latent = torch.randn((1, 4, 16, 8, 8), generator=gen)
    feeds = {"latent": latent, "timestep": torch.tensor([321.5]), "spacing": torch.tensor([[80.0, 80.0, 300.0]]),
             "top_region_index": torch.tensor([[0.0, 100.0, 0.0, 0.0]]), "bottom_region_index": torch.tensor([[0.0, 0.0, 0.0, 100.0]]),
             "class_label": torch.tensor([2])}
    graph = DiffusionUNetGraph(models.unet, Layout.LPS_ZYX)
    with torch.no_grad():
        want = graph(*[feeds[n] for n in graph.names])
    got = run(onnx.load(str(COMMITTED / "reference-tiny" / "diffusion_unet.onnx")), {k: v.numpy() for k, v in feeds.items()})
    np.testing.assert_allclose(got["prediction"], want.numpy(), rtol=1e-4, atol=1e-5)

    prompts = torch.nn.functional.normalize(torch.randn((5, 2, 384), generator=gen), dim=-1)
    with torch.no_grad():
        want = AovaGraph(models.aova)(*enc[1:], prompts)
    got = run(onnx.load(str(COMMITTED / "reference-tiny" / "aova_head.onnx")),
              {"f1": enc[1].numpy(), "f2": enc[2].numpy(), "f3": enc[3].numpy(), "prompt_embeddings": prompts.numpy()})
    assert got["anomaly_logits"].shape == (1, 5, 3, 2, 5)
    np.testing.assert_allclose(got["anomaly_logits"], want.numpy(), rtol=1e-4, atol=1e-5)


def test_maisiLayoutGraph_lpsInput_equalsNetworkOnRasPermutedInput() -> None:
    """The RAS wrapper: feeding [z, y, x] LPS equals running MAISI on the (x, y, z) RAS tensor and converting back."""
    torch.manual_seed(make_tiny_package.TINY_SEED)
    ae = Autoencoder(tiny_variant(VARIANTS["ddpm-ct"]).autoencoder).eval()
    latent = torch.randn(1, 4, 2, 3, 4)  # [z, y, x] in LPS
    ras = torch.flip(latent.permute(0, 1, 4, 3, 2), dims=(2, 3))  # [x, y, z] in RAS
    with torch.no_grad():
        direct = torch.flip(ae.decode(ras), dims=(2, 3)).permute(0, 1, 4, 3, 2)
        wrapped = VaeDecoderGraph(ae, Layout.RAS_XYZ)(latent)
    assert torch.equal(direct, wrapped) and wrapped.shape == (1, 1, 8, 12, 16)
    got = run(onnx.load(str(COMMITTED / "maisi-ddpm-tiny" / "vae_decoder.onnx")), {"latent": latent.numpy()})
    np.testing.assert_allclose(got["image"], wrapped.numpy(), rtol=1e-4, atol=1e-5)


def test_run_unknownOperator_raises() -> None:
    node = helper.make_node("Erf", ["x"], ["y"])
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1])])
    with pytest.raises(UnsupportedOperator, match="Erf"):
        run(helper.make_model(graph), {"x": np.zeros(1, np.float32)})
