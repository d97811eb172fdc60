"""Reading a reference package's trained weights back into our PyTorch networks.

A package is what survives between training sessions (runs/ is scratch), so `train.py --init-from PACKAGE_DIR` must be
able to start from it. The exported graphs keep most parameters under their state-dict names, but the exporter folds
some of them into anonymous initialisers (`onnx::Mul_395`: a GroupNorm's affine weight after InstanceNormalization;
`onnx::MatMul_107`: a Linear weight, transposed). Which anonymous initialiser holds which parameter is found by
fingerprinting: every parameter of a freshly built network gets distinct random values, the graph is exported from it
the same way export_onnx.py does, and each of that graph's initialisers is matched to the parameter whose values it
holds (as they are, reshaped or transposed). The mapping is then applied to the package's graph, and the loaded
networks must reproduce the package's golden outputs (golden/, written by the export from the trained weights) within
their tolerance, so a wrong mapping cannot go unnoticed.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

from foundry.onnx_graphs import AovaGraph, DiffusionUNetGraph, Layout, RefinementGraph, TensorSpec, VaeDecoderGraph, VaeEncoderGraph
from foundry.package import GOLDEN_TOLERANCE, export_model
from foundry.reference_model import ReferenceModels, build_models, load_trained, model_config


# Parameters no package graph holds, and the value they restart from: the encoder's log σ² head serves the training
# pass only (the node encodes with the mean). Weight 0 and bias −7 give σ = e^−3.5 ≈ 0.03 everywhere, about 1 % of
# the latents' spread (the reference scale factor is about 1/3), so a VAE stage started from a package samples latents
# close to their means, as a trained KL autoencoder with our 1e-6 KL weight does, and the KL term trains the head on.
TRAINING_ONLY = {"autoencoder.quant_conv_log_sigma.conv.weight": 0.0, "autoencoder.quant_conv_log_sigma.conv.bias": -7.0}


class PackageWeightsError(ValueError):
    """The package's graphs do not hold the weights of the networks its training config describes."""


@dataclass(frozen=True)
class _Source:
    parameter: str  # name in the graph wrapper's state dict
    transposed: bool


def _graphs(models: ReferenceModels, layout: Layout) -> dict[str, nn.Module]:
    return {
        "vae_encoder": VaeEncoderGraph(models.autoencoder, layout),
        "vae_decoder": VaeDecoderGraph(models.autoencoder, layout),
        "diffusion_unet": DiffusionUNetGraph(models.unet, layout),
        "aova_head": AovaGraph(models.aova),
        "refinement_head": RefinementGraph(models.refinement),
    }


def _golden(root: Path, manifest: dict[str, object]) -> dict[str, tuple[tuple[torch.Tensor, ...], dict[str, np.ndarray]]]:
    """Per graph role, the package's golden inputs (in the graph's input order) and outputs by name."""
    graphs = json.loads((root / "golden" / "golden.json").read_text(encoding="utf-8"))["graphs"]
    golden = {}
    for role, io in graphs.items():
        graph = manifest["graphs"][role]  # type: ignore[index]
        inputs = tuple(torch.from_numpy(np.load(root / io["inputs"][t["name"]])) for t in graph["inputs"])
        golden[role] = (inputs, {t["name"]: np.load(root / io["outputs"][t["name"]]) for t in graph["outputs"]})
    return golden


def _specs(tensors: list[dict[str, object]]) -> list[TensorSpec]:
    return [TensorSpec(str(t["name"]), str(t["dtype"]), tuple(t["shape"])) for t in tensors]  # type: ignore[arg-type]


def _key(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values.reshape(-1)[:4], dtype=np.float32).tobytes()


def _nodes(model: onnx.ModelProto) -> list[tuple[str, list[str]]]:
    """(op type, input names) of every node, with the exporter's Identity copies of initialisers resolved to the
    initialiser itself (it adds one for each extra use of a shared constant)."""
    initialisers = {i.name for i in model.graph.initializer}
    alias: dict[str, str] = {}
    nodes = []
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in initialisers:
            alias[node.output[0]] = node.input[0]
            continue
        nodes.append((node.op_type, [alias.get(x, x) for x in node.input]))
    return nodes


def _parameter_slots(wrapper: nn.Module, args: tuple[torch.Tensor, ...], manifest_graph: dict[str, object], seed: int) -> tuple[list[str], dict[tuple[int, int], _Source]]:
    """(op types of the graph's nodes, (node index, input slot) → the wrapper parameter fed there), found by exporting a
    fingerprinted copy of the wrapper. Slots, not initialiser names: the exporter shares one initialiser between equal
    constants (untrained GroupNorm weights are all ones), so names and their count depend on the values."""
    probe = copy.deepcopy(wrapper)
    gen = torch.Generator().manual_seed(seed)
    fingerprints: dict[bytes, tuple[str, np.ndarray]] = {}
    with torch.no_grad():
        for name, p in probe.named_parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
            values = p.detach().numpy().copy()
            fingerprints[_key(values)] = (name, values)
    model = export_model(probe, args, _specs(manifest_graph["inputs"]), _specs(manifest_graph["outputs"]))  # type: ignore[arg-type]
    sources: dict[str, _Source] = {}
    for init in model.graph.initializer:
        array = numpy_helper.to_array(init)
        for transposed, candidate in ((False, array), (True, array.T if array.ndim == 2 else None)):
            if candidate is None or candidate.dtype != np.float32 or candidate.size == 0:
                continue
            hit = fingerprints.get(_key(candidate))
            if hit is not None and hit[1].size == candidate.size and np.array_equal(hit[1].reshape(-1), np.ascontiguousarray(candidate).reshape(-1)):
                sources[init.name] = _Source(hit[0], transposed)
                break
    nodes = _nodes(model)
    slots = {(i, k): sources[x] for i, (_, inputs) in enumerate(nodes) for k, x in enumerate(inputs) if x in sources}
    return [op for op, _ in nodes], slots


def load_package_weights(root: str | Path) -> tuple[ReferenceModels, dict[str, object]]:
    """The networks of a reference package (export_onnx.py output) with its trained weights, and a train.py-style
    checkpoint dict describing them (`models`, `scale_factor`, `training_config`, `seed`, `preset`) for --init-from.
    Raises PackageWeightsError naming every parameter no graph holds, or a graph whose golden outputs differ."""
    root = Path(root)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    training = dict(manifest["provenance"]["training_config"])
    preset = str(training.get("preset", ""))
    try:
        cfg = model_config(preset, training)
    except KeyError:
        raise PackageWeightsError(f"{root}: training config names no known preset ({preset!r}); only reference packages made by export_onnx.py can be read back") from None
    models = build_models(cfg, 0)
    graphs = _graphs(models, Layout.LPS_ZYX)
    golden = _golden(root, manifest)
    loaded: set[int] = set()
    for index, (role, wrapper) in enumerate(graphs.items()):
        graph = manifest["graphs"][role]
        args, _ = golden[role]
        ops, slots = _parameter_slots(wrapper, args, graph, seed=index)
        parameters = dict(wrapper.named_parameters())
        package = onnx.load(str(root / graph["file"]))
        nodes = _nodes(package)
        if [op for op, _ in nodes] != ops:
            raise PackageWeightsError(f"{root / graph['file']}: the graph's operators differ from those of the {preset!r} networks exported today "
                                      f"({len(nodes)} nodes against {len(ops)}); was it made by another foundry version?")
        initialisers = {i.name: i for i in package.graph.initializer}
        with torch.no_grad():
            for (i, k), source in slots.items():
                name = nodes[i][1][k]
                if name not in initialisers:
                    raise PackageWeightsError(f"{root / graph['file']}: node {i} ({ops[i]}) reads {name!r} where {source.parameter} belongs, not an initialiser")
                array = numpy_helper.to_array(initialisers[name])
                value = torch.from_numpy(np.ascontiguousarray(array.T if source.transposed else array).copy())
                target = parameters[source.parameter]
                if value.numel() != target.numel():
                    raise PackageWeightsError(f"{root / graph['file']}: initialiser {name} has {value.numel()} values, {source.parameter} {target.numel()}")
                target.copy_(value.reshape(target.shape))
                loaded.add(id(target))
    with torch.no_grad():
        for net, module in models.modules().items():
            for name, p in module.named_parameters():
                if f"{net}.{name}" in TRAINING_ONLY:
                    p.fill_(TRAINING_ONLY[f"{net}.{name}"])
                    loaded.add(id(p))
    missing = [f"{net}.{name}" for net, module in models.modules().items() for name, p in module.named_parameters() if id(p) not in loaded]
    if missing:
        raise PackageWeightsError(f"{root}: no graph holds {len(missing)} parameter(s): {', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}")
    for role, wrapper in graphs.items():
        args, expected = golden[role]
        with torch.no_grad():
            out = wrapper.eval()(*args)
        outs = out if isinstance(out, tuple) else (out,)
        for (name, want), got in zip(expected.items(), outs):
            if got.shape != want.shape or not np.allclose(got.numpy(), want, **GOLDEN_TOLERANCE):
                raise PackageWeightsError(f"{root}: {role}.{name} from the loaded weights differs from the package's golden output "
                                          f"(max |Δ| {float(np.abs(got.numpy() - want).max()) if got.shape == want.shape else float('nan')})")
    for module in models.modules().values():
        module.eval()
    checkpoint = {
        "preset": preset,
        "model_config": cfg.to_dict(),
        "models": {n: m.state_dict() for n, m in models.modules().items()},
        "scale_factor": float(manifest["latent"]["scale_factor"]),
        "seed": int(manifest["provenance"]["seed"]),
        "training_config": training,
        "spacing_mm": manifest["model_space"]["spacing_mm"],
        "package": f"{manifest['name']} {manifest['version']}",
    }
    return models, checkpoint


def load_networks(path: str | Path) -> tuple[ReferenceModels, dict[str, object], float]:
    """Either source the foundry's tools read, as `reference_model.load_trained` returns it: a package folder
    (export_onnx.py output, read back with load_package_weights) or a train.py checkpoint / final.pt."""
    if Path(path).is_dir():
        models, checkpoint = load_package_weights(path)
        return models, dict(checkpoint["training_config"]), float(checkpoint["scale_factor"])
    return load_trained(path)
