"""Writing a model package exactly as docs/model-package.md (format_version 1) specifies.

`export_package` exports the five graphs at ONNX opset 17, checks each with `onnx.checker` and compares the graph's
declared inputs/outputs with the manifest entry, saves golden inputs and PyTorch outputs (`golden/`, `.npy` files listed
in `golden/golden.json`) for the C# parity tests, hashes every file and writes `manifest.json`. Debian's python3-onnx 1.12
has no `onnx.reference` evaluator and Debian has no onnxruntime for Python, so parity with PyTorch is checked here with
our own small interpreter (`foundry.onnx_evaluator`), and the C# side asserts ONNX Runtime's parity against the golden
files within `golden.json`'s tolerance.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from foundry import onnx_evaluator
from foundry.aova import AovaHead
from foundry.autoencoder import Autoencoder
from foundry.diffusion_unet import DiffusionUNet
from foundry.onnx_graphs import (
    IMAGE_DIMS,
    LATENT_DIMS,
    AovaGraph,
    DiffusionUNetGraph,
    Layout,
    RefinementGraph,
    TensorSpec,
    VaeDecoderGraph,
    VaeEncoderGraph,
    grid_dims,
)
from foundry.phantoms import REGIONS
from foundry.refinement import RefinementHead

OPSET = 17
FORMAT_VERSION = 1
GOLDEN_TOLERANCE = {"atol": 1e-4, "rtol": 1e-3}
# Golden tensors stay small so the committed tiny packages stay small: sizes are multiples of the VAE factor, the
# UNet's latent a multiple of 8, and no two axes are equal so an axis-order mistake cannot pass.
GOLDEN_IMAGE_ZYX = (8, 12, 16)
GOLDEN_UNET_LATENT_ZYX = (8, 8, 16)
GOLDEN_PROMPTS = 2


def foundry_commit() -> str:
    """HEAD of the repository this file lives in (local git only), or "unknown"."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def created_utc() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible packages)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class PackageNetworks:
    autoencoder: Autoencoder
    unet: DiffusionUNet
    aova: AovaHead
    refinement: RefinementHead
    layout: Layout
    # Optional: a head trained without the feature residual (RefinementConfig.feature_input False), exported as
    # refinement_head_pixel_residual for the benchmark's method (d), AOVA + pixel residual.
    pixel_refinement: RefinementHead | None = None


@dataclass(frozen=True)
class ExportedGraph:
    role: str
    file: str
    inputs: list[TensorSpec]
    outputs: list[TensorSpec]

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "inputs": [t.to_json() for t in self.inputs],
            "outputs": [t.to_json() for t in self.outputs],
        }


def _dynamic_axes(specs: list[TensorSpec]) -> dict[str, dict[int, str]]:
    return {s.name: {i: d for i, d in enumerate(s.shape) if isinstance(d, str)} for s in specs}


def export_model(module: nn.Module, args: tuple[torch.Tensor, ...], inputs: list[TensorSpec], outputs: list[TensorSpec]) -> onnx.ModelProto:
    """`module` traced on `args` and exported at OPSET with constant folding and the specs' names and dynamic axes, value
    names compacted (every package graph is made this way; foundry.package_weights exports fingerprinted copies the
    same way to read weights back)."""
    module.eval()
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch 1.13's exporter warns about constant folding of Slice
        warnings.simplefilter("ignore", torch.jit.TracerWarning)  # GroupNorm's batch-size sanity check, not graph flow
        torch.onnx.export(
            module, args, buffer, input_names=[s.name for s in inputs], output_names=[s.name for s in outputs],
            dynamic_axes={**_dynamic_axes(inputs), **_dynamic_axes(outputs)}, opset_version=OPSET, do_constant_folding=True,
        )
    return compact_names(onnx.load_model_from_string(buffer.getvalue()))


def _export(module: nn.Module, args: tuple[torch.Tensor, ...], path: Path, inputs: list[TensorSpec], outputs: list[TensorSpec]) -> None:
    model = export_model(module, args, inputs, outputs)
    onnx.checker.check_model(model, full_check=True)
    check_signature(model, inputs, outputs, path.name)
    path.write_bytes(model.SerializeToString())


def compact_names(model: onnx.ModelProto) -> onnx.ModelProto:
    """Renames intermediate values to short ids and drops node names. The exporter's names
    (`/unet/up_blocks.0/resnets.0/norm1/InstanceNormalization_output_0`) are most of a tiny graph's bytes; graph inputs,
    outputs and initialisers (state-dict keys) keep their names."""
    g = model.graph
    keep = {v.name for v in g.input} | {v.name for v in g.output} | {i.name for i in g.initializer}
    short: dict[str, str] = {}

    def rename(name: str) -> str:
        if not name or name in keep:
            return name
        return short.setdefault(name, f"t{len(short)}")

    for node in g.node:
        node.name = ""
        node.input[:] = [rename(n) for n in node.input]
        node.output[:] = [rename(n) for n in node.output]
    for info in g.value_info:
        info.name = rename(info.name)
    return model


_ONNX_DTYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.FLOAT16: "float16", onnx.TensorProto.INT64: "int64"}


def check_signature(model: onnx.ModelProto, inputs: list[TensorSpec], outputs: list[TensorSpec], file: str) -> None:
    """The graph's inputs/outputs must equal the manifest's by name, dtype, rank, fixed sizes and dynamic dims (spec §8.6)."""
    initialisers = {i.name for i in model.graph.initializer}
    for kind, declared, actual in (
        ("input", inputs, [v for v in model.graph.input if v.name not in initialisers]),
        ("output", outputs, list(model.graph.output)),
    ):
        by_name = {v.name: v for v in actual}
        if set(by_name) != {s.name for s in declared}:
            raise ValueError(f"{file}: {kind}s {sorted(by_name)} differ from the manifest's {sorted(s.name for s in declared)}")
        for spec in declared:
            t = by_name[spec.name].type.tensor_type
            dtype = _ONNX_DTYPES.get(t.elem_type, str(t.elem_type))
            dims = [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]
            if dtype != spec.dtype or len(dims) != len(spec.shape):
                raise ValueError(f"{file}: {kind} {spec.name} is {dtype}{dims}, manifest says {spec.dtype}{list(spec.shape)}")
            for got, want in zip(dims, spec.shape):
                if isinstance(want, int) and got != want or isinstance(want, str) and not isinstance(got, str):
                    raise ValueError(f"{file}: {kind} {spec.name} has dims {dims}, manifest says {list(spec.shape)}")


class ParityError(AssertionError):
    pass


def check_parity(path: Path, inputs: dict[str, torch.Tensor], expected: dict[str, torch.Tensor]) -> None:
    """Runs the exported graph with `foundry.onnx_evaluator` and compares with PyTorch within GOLDEN_TOLERANCE."""
    got = onnx_evaluator.run(onnx.load(str(path)), {k: v.detach().numpy() for k, v in inputs.items()})
    for name, want in expected.items():
        w = want.detach().numpy()
        if got[name].shape != w.shape or not np.allclose(got[name], w, **GOLDEN_TOLERANCE):
            diff = float(np.abs(got[name] - w).max()) if got[name].shape == w.shape else float("nan")
            raise ParityError(f"{path.name}: output {name} differs from PyTorch (shape {got[name].shape} vs {w.shape}, max |Δ| {diff})")


def _save_golden(root: Path, role: str, tensors: dict[str, torch.Tensor]) -> dict[str, str]:
    folder = root / "golden" / role
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, value in tensors.items():
        path = folder / f"{name}.npy"
        np.save(path, value.detach().cpu().numpy())
        files[name] = path.relative_to(root).as_posix()
    return files


def export_graphs(nets: PackageNetworks, out_dir: Path, seed: int) -> tuple[dict[str, ExportedGraph], dict[str, object]]:
    """Exports the five graphs (six with the pixel-residual head) and their golden I/O; returns the graph entries and
    golden.json's content."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(seed)
    ae, unet = nets.autoencoder.eval(), nets.unet.eval()
    f = ae.config.downsample_factor
    cz = ae.config.latent_channels
    channels = list(ae.config.num_channels)
    strides = [2 ** i for i in range(len(channels))]
    feature_specs = [
        TensorSpec(f"f{i + 1}", "float32", ("batch", c, *grid_dims(s, f, f"f{i + 1}"))) for i, (c, s) in enumerate(zip(channels, strides))
    ]
    image_spec = TensorSpec("image", "float32", ("batch", 1, *IMAGE_DIMS))
    latent_mean = TensorSpec("latent_mean", "float32", ("batch", cz, *LATENT_DIMS))
    latent_in = TensorSpec("latent", "float32", ("batch", cz, *LATENT_DIMS))
    graphs: dict[str, ExportedGraph] = {}
    golden: dict[str, object] = {"tolerance": GOLDEN_TOLERANCE, "seed": seed, "graphs": {}}

    def record(role: str, module: nn.Module, inputs: list[TensorSpec], outputs: list[TensorSpec], args: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        file = f"{role}.onnx"
        _export(module, args, out_dir / file, inputs, outputs)
        with torch.no_grad():
            result = module(*args)
        results = result if isinstance(result, tuple) else (result,)
        check_parity(out_dir / file, {s.name: a for s, a in zip(inputs, args)}, {s.name: r for s, r in zip(outputs, results)})
        golden["graphs"][role] = {  # type: ignore[index]
            "inputs": _save_golden(out_dir, role, {s.name: a for s, a in zip(inputs, args)}),
            "outputs": _save_golden(out_dir, role, {s.name: r for s, r in zip(outputs, results)}),
        }
        graphs[role] = ExportedGraph(role, file, inputs, outputs)
        return results

    image = torch.rand((1, 1, *GOLDEN_IMAGE_ZYX), generator=gen)
    _, f1, f2, f3 = record("vae_encoder", VaeEncoderGraph(ae, nets.layout), [image_spec], [latent_mean, *feature_specs], (image,))

    latent = torch.randn((1, cz, *(n // f for n in GOLDEN_IMAGE_ZYX)), generator=gen)
    record("vae_decoder", VaeDecoderGraph(ae, nets.layout), [latent_in], [image_spec], (latent,))

    unet_graph = DiffusionUNetGraph(unet, nets.layout)
    unet_inputs = {
        "latent": (latent_in, torch.randn((1, cz, *GOLDEN_UNET_LATENT_ZYX), generator=gen)),
        "timestep": (TensorSpec("timestep", "float32", ("batch",)), torch.tensor([500.0])),
        "spacing": (TensorSpec("spacing", "float32", ("batch", 3)), torch.tensor([[150.0, 150.0, 250.0]])),
        "top_region_index": (TensorSpec("top_region_index", "float32", ("batch", 4)), torch.tensor([[0.0, 100.0, 0.0, 0.0]])),
        "bottom_region_index": (TensorSpec("bottom_region_index", "float32", ("batch", 4)), torch.tensor([[0.0, 0.0, 100.0, 0.0]])),
        "class_label": (TensorSpec("class_label", "int64", ("batch",)), torch.tensor([1], dtype=torch.int64)),
    }
    chosen = [unet_inputs[n] for n in unet_graph.names]
    prediction = TensorSpec("prediction", "float32", ("batch", cz, *LATENT_DIMS))
    record("diffusion_unet", unet_graph, [s for s, _ in chosen], [prediction], tuple(a for _, a in chosen))

    emb = nets.aova.config.embedding_dim
    prompts = torch.nn.functional.normalize(torch.randn((GOLDEN_PROMPTS, 2, emb), generator=gen), dim=-1)
    record(
        "aova_head", AovaGraph(nets.aova),
        [*feature_specs, TensorSpec("prompt_embeddings", "float32", ("prompts", 2, emb))],
        [TensorSpec("anomaly_logits", "float32", ("batch", "prompts", *LATENT_DIMS))],
        (f1, f2, f3, prompts),
    )

    healthy = (image + 0.05 * torch.randn(image.shape, generator=gen)).clamp(0, 1)
    refinement_inputs = [
        image_spec,
        TensorSpec("pseudo_healthy", "float32", ("batch", 1, *IMAGE_DIMS)),
        TensorSpec("pixel_residual", "float32", ("batch", 1, *IMAGE_DIMS)),
        TensorSpec("feature_residual", "float32", ("batch", channels[-1], *grid_dims(strides[-1], f, "f3"))),
        TensorSpec("anomaly_map", "float32", ("batch", 1, *IMAGE_DIMS)),
    ]
    refinement_args = (image, healthy, (image - healthy).abs(), 0.1 * torch.randn(f3.shape, generator=gen), torch.rand(image.shape, generator=gen))
    lesion_logit = [TensorSpec("lesion_logit", "float32", ("batch", 1, *IMAGE_DIMS))]
    record("refinement_head", RefinementGraph(nets.refinement), refinement_inputs, lesion_logit, refinement_args)
    if nets.pixel_refinement is not None:
        if nets.pixel_refinement.config.feature_input:
            raise ValueError("the pixel-residual head must be one trained without the feature residual (--heads-without-feature-residual)")
        record("refinement_head_pixel_residual", RefinementGraph(nets.pixel_refinement), refinement_inputs, lesion_logit, refinement_args)
    return graphs, golden


def scheduler_entry(scheduler: dict[str, object]) -> dict[str, object]:
    """Our scheduler config → the spec's §4 keys (unknown keys are errors there, so map explicitly)."""
    name = scheduler["name"]
    if name == "rectified_flow":
        return {
            "type": "rflow",
            "num_train_timesteps": scheduler["num_train_timesteps"],
            "prediction_type": "x0_minus_noise",
            "steps_offset": scheduler["steps_offset"],
            "use_timestep_transform": scheduler["use_timestep_transform"],
            "base_img_size_numel": scheduler["base_img_size_numel"],
        }
    entry: dict[str, object] = {
        "type": name,
        "num_train_timesteps": scheduler["num_train_timesteps"],
        "beta_schedule": "scaled_linear_beta",
        "beta_start": scheduler["beta_start"],
        "beta_end": scheduler["beta_end"],
        "prediction_type": "epsilon",
        "clip_sample": scheduler["clip_sample"],
    }
    if name == "ddim":
        entry["set_alpha_to_one"] = scheduler["set_alpha_to_one"]
        entry["steps_offset"] = scheduler["steps_offset"]
    else:
        entry["steps_offset"] = 0
    return entry


def conditioning_entry(unet: DiffusionUNet, modality_class: int, default_top: str, default_bottom: str) -> dict[str, object]:
    cfg = unet.config
    body = None
    if cfg.include_top_region_index_input != cfg.include_bottom_region_index_input:
        raise ValueError("the package format needs both region inputs or neither")
    if cfg.include_top_region_index_input:
        body = {
            "top_input": "top_region_index", "bottom_input": "bottom_region_index", "regions": list(REGIONS),
            "scale": 100.0, "default_top": default_top, "default_bottom": default_bottom,
        }
    return {
        "spacing": {"input": "spacing", "scale": 100.0} if cfg.include_spacing_input else None,
        "body_region": body,
        "modality_class": {"input": "class_label", "value": modality_class} if cfg.num_class_embeds is not None else None,
    }


def activation_bytes_per_voxel(nets: PackageNetworks) -> int:
    """Rough peak of one encoder/decoder/refinement call per image voxel: a handful of live fp32 maps of the widest
    full-resolution layer (an estimate for the runtime's tile budget, not a measurement)."""
    widest = max(nets.autoencoder.config.num_channels[0], nets.refinement.config.hidden_channels)
    return int(4 * widest * 12)


def write_manifest(out_dir: Path, manifest: dict[str, object], extra_files: list[str]) -> Path:
    """Adds `files` (SHA-256 of every graph, golden and extra file) and writes manifest.json."""
    graphs = manifest["graphs"]
    names = [g["file"] for g in graphs.values()] + extra_files  # type: ignore[union-attr, index]
    names += sorted(p.relative_to(out_dir).as_posix() for p in (out_dir / "golden").rglob("*") if p.is_file())
    manifest["files"] = {n: sha256(out_dir / n) for n in names}
    path = out_dir / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


def export_package(
    nets: PackageNetworks,
    out_dir: Path,
    *,
    name: str,
    version: str,
    licence: str,
    description: str,
    modality: str,
    body_regions: list[str],
    spacing_mm: list[float],
    scale_factor: float,
    scheduler: dict[str, object],
    modality_class: int,
    prompts: dict[str, object],
    lexicon: dict[str, object] | None,
    inpainting: dict[str, object],
    seed: int,
    training_config: dict[str, object],
    source_weights: str,
    model_card: str,
    tile_edge: int | None = None,
    unet_tile_edge: int | None = None,
    tile_overlap: float = 0.25,
    segmentation: dict[str, float | str] | None = None,
    intensity_window: tuple[float, float] = (-1000.0, 1000.0),
) -> Path:
    """Writes the package. `tile_edge` is the image tile edge the runtime encodes and decodes with (default twice the
    image multiple); a model trained on crops should use its crop edge, because GroupNorm statistics depend on the
    extent the network sees. `unet_tile_edge` is the latent tile edge the runtime runs the UNet with (default twice
    the UNet's multiple), likewise the UNet's training crop when it has one. `tile_overlap` is the share of a tile that
    overlaps its neighbour (blended); 0 gives the non-overlapping blocks train.py encodes with, at less cost."""
    graphs, golden = export_graphs(nets, out_dir, seed)
    (out_dir / "golden" / "golden.json").write_text(json.dumps(golden, indent=2) + "\n", encoding="utf-8")
    extra = []
    if lexicon is not None:
        (out_dir / "lexicon.json").write_text(json.dumps(lexicon) + "\n", encoding="utf-8")
        extra.append("lexicon.json")
    (out_dir / "MODEL_CARD.md").write_text(model_card, encoding="utf-8")
    extra.append("MODEL_CARD.md")
    ae = nets.autoencoder.config
    f = ae.downsample_factor
    image_multiple = f * nets.unet.config.latent_multiple
    strides = [2 ** i for i in range(len(ae.num_channels))]
    order = sorted(body_regions, key=REGIONS.index)
    manifest: dict[str, object] = {
        "format_version": FORMAT_VERSION,
        "name": name,
        "version": version,
        "licence": licence,
        "description": description,
        "intended_use": {"modality": modality, "body_regions": order},
        "intensity": {"mode": "window", "a_min": float(intensity_window[0]), "a_max": float(intensity_window[1]), "b_min": 0.0, "b_max": 1.0, "clip": True}
        if modality == "CT"
        else {"mode": "percentile", "lower_percentile": 0.0, "upper_percentile": 99.5, "b_min": 0.0, "b_max": 1.0, "clip": False},
        "model_space": {"spacing_mm": [float(s) for s in spacing_mm]},
        "tiling": {
            "tile_size": [tile_edge or 2 * image_multiple] * 3,
            "overlap": tile_overlap,
            "blend": "gaussian",
            "image_multiple": image_multiple,
            "activation_bytes_per_voxel": activation_bytes_per_voxel(nets),
        },
        "latent": {
            "channels": ae.latent_channels,
            "downsampling_factor": f,
            "scale_factor": float(scale_factor),
            "unet_multiple": nets.unet.config.latent_multiple,
            "unet_tile_size": [unet_tile_edge or 2 * nets.unet.config.latent_multiple] * 3,
        },
        "features": [{"name": f"f{i + 1}", "channels": c, "stride": s} for i, (c, s) in enumerate(zip(ae.num_channels, strides))],
        "scheduler": scheduler_entry(scheduler),
        "conditioning": conditioning_entry(nets.unet, modality_class, order[0], order[-1]),
        "prompts": prompts,
        "segmentation": {
            "anomaly_threshold": 0.5, "dilation_latent_voxels": 1, "probability_threshold": 0.5, "min_lesion_volume_ml": 0.1,
            **(segmentation or {}),
        },
        "inpainting": inpainting,
        "graphs": {role: g.to_json() for role, g in graphs.items()},
        "provenance": {
            "foundry_commit": foundry_commit(),
            "seed": seed,
            "training_config": training_config,
            "opset": OPSET,
            "created_utc": created_utc(),
            "source_weights": source_weights,
        },
    }
    return write_manifest(out_dir, manifest, extra)
