"""Writes a tiny model package to docs/model-package.md (format 1) for the C# tests.

Run with Debian's Python (torch 1.13, onnx). The networks are small and partly hand-wired so that a test can assert
behaviour: the AOVA head flags voxels brighter than the background, and the refinement head follows the anomaly map.
Everything is seeded; the same arguments give the same files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

C_Z = 4
FEATURES = [("f1", 8, 1), ("f2", 12, 2), ("f3", 16, 4)]
OPSET = 17
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "ct", "scan", "of", "healthy", "tissue", "without",
         "showing", "liver", "tumor", "lung", "nodule", "kidney", "cyst", "hepatocellular", "carcinoma", "##s"]


class Encoder(nn.Module):
    def __init__(self, nan: bool) -> None:
        super().__init__()
        self.c1 = nn.Conv3d(1, 8, 3, padding=1)
        self.c2 = nn.Conv3d(8, 12, 3, stride=2, padding=1)
        self.c3 = nn.Conv3d(12, 16, 3, stride=2, padding=1)
        self.mu = nn.Conv3d(16, C_Z, 1)
        self.nan = nan
        with torch.no_grad():
            # Channel 0 of f1 is the image itself, so the AOVA head below can see intensity.
            self.c1.weight[0].zero_()
            self.c1.weight[0, 0, 1, 1, 1] = 1.0
            self.c1.bias[0] = 0.0

    def forward(self, image: torch.Tensor):
        f1 = self.c1(image)
        f2 = F.silu(self.c2(F.silu(f1)))
        f3 = F.silu(self.c3(f2))
        mu = self.mu(f3)
        if self.nan:
            mu = mu + torch.sqrt(F.avg_pool3d(image, 4) - 10.0)  # image ≤ 1, so every value is NaN
        return mu, f1, f2, f3


class Decoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.c1 = nn.Conv3d(C_Z, 8, 3, padding=1)
        self.c2 = nn.Conv3d(8, 1, 3, padding=1)

    def forward(self, latent: torch.Tensor):
        x = F.interpolate(F.silu(self.c1(latent)), scale_factor=4.0, mode="nearest")
        return torch.sigmoid(self.c2(x))


class Unet(nn.Module):
    def __init__(self, spacing: bool, regions: bool, modality: bool) -> None:
        super().__init__()
        self.inp = nn.Conv3d(C_Z, 16, 3, padding=1)
        self.down = nn.Conv3d(16, 16, 3, stride=2, padding=1)
        self.out = nn.Conv3d(32, C_Z, 3, padding=1)
        self.t = nn.Linear(8, 16)
        self.spacing = nn.Linear(3, 16) if spacing else None
        self.regions = nn.Linear(8, 16) if regions else None
        self.modality = nn.Embedding(128, 16) if modality else None

    def forward(self, latent, timestep, *cond):
        freqs = torch.arange(4, dtype=torch.float32)
        angles = timestep[:, None] / 1000.0 * (2.0 ** freqs)[None, :]
        emb = self.t(torch.cat([torch.sin(angles), torch.cos(angles)], dim=1))
        k = 0
        if self.spacing is not None:
            emb = emb + self.spacing(cond[k] / 100.0)
            k += 1
        if self.regions is not None:
            emb = emb + self.regions(torch.cat([cond[k], cond[k + 1]], dim=1) / 100.0)
            k += 2
        if self.modality is not None:
            emb = emb + self.modality(cond[k])
        h = F.silu(self.inp(latent) + emb[:, :, None, None, None])
        d = F.silu(self.down(h))
        u = F.interpolate(d, scale_factor=2.0, mode="nearest")
        return 0.1 * self.out(torch.cat([h, u], dim=1))


class Aova(nn.Module):
    """logit = 60·(pooled image − 0.55) + 0.1·(text-feature correlation): bright regions are anomalous."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.text = nn.Linear(dim, 16)
        self.mix2 = nn.Conv3d(12, 16, 1)

    def forward(self, f1, f2, f3, prompt_embeddings):
        intensity = F.avg_pool3d(f1[:, 0:1], 4)
        feats = f3 + F.avg_pool3d(self.mix2(f2), 2)
        t = self.text(prompt_embeddings)  # [P, 2, 16]
        direction = t[:, 1, :] - t[:, 0, :]
        corr = torch.einsum("bcdhw,pc->bpdhw", feats, direction)
        return 60.0 * (intensity - 0.55) + 0.1 * torch.tanh(corr)


class Refinement(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.mix = nn.Conv3d(4, 1, 3, padding=1)
        self.feat = nn.Conv3d(16, 1, 1)

    def forward(self, image, pseudo_healthy, pixel_residual, feature_residual, anomaly_map):
        x = torch.cat([image, pseudo_healthy, pixel_residual, anomaly_map], dim=1)
        fr = F.interpolate(self.feat(feature_residual), scale_factor=4.0, mode="nearest")
        return 20.0 * (anomaly_map - 0.5) + 0.05 * torch.tanh(self.mix(x) + fr)


class TextEncoder(nn.Module):
    def __init__(self, dim: int) -> None:
        super().__init__()
        self.emb = nn.Embedding(len(VOCAB), dim)
        self.lin = nn.Linear(dim, dim)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.emb(input_ids) + 0.0 * token_type_ids[:, :, None].float()
        return torch.tanh(self.lin(h)) * attention_mask[:, :, None].float()


def tensor(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": shape}


def vol(name, channels, prefix=""):
    return tensor(name, "float32", ["batch", channels, prefix + "depth", prefix + "height", prefix + "width"])


def export(module, args, path, inputs, outputs, dynamic):
    torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
                      opset_version=OPSET, do_constant_folding=True)


def spatial(names):
    return {n: {0: "batch", 2: n + "_d", 3: n + "_h", 4: n + "_w"} for n in names}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--scheduler", choices=["ddpm", "ddim", "rflow"], default="ddim")
    p.add_argument("--prompt-mode", choices=["minilm", "lexicon", "text_encoder"], default="lexicon")
    p.add_argument("--nan-encoder", action="store_true")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args(argv)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    dim = 384 if a.prompt_mode == "minilm" else 16
    spacing, regions, modality = True, a.scheduler != "rflow", a.scheduler == "rflow"

    enc = Encoder(a.nan_encoder).eval()
    dec = Decoder().eval()
    unet = Unet(spacing, regions, modality).eval()
    aova = Aova(dim).eval()
    refine = Refinement().eval()
    img = torch.rand(1, 1, 16, 32, 32)
    lat = torch.rand(1, C_Z, 4, 8, 8)
    with torch.no_grad():
        mu, f1, f2, f3 = enc(img)
        export(enc, (img,), f"{a.out}/vae_encoder.onnx", ["image"], ["latent_mean", "f1", "f2", "f3"],
               spatial(["image", "latent_mean", "f1", "f2", "f3"]))
        export(dec, (lat,), f"{a.out}/vae_decoder.onnx", ["latent"], ["image"], spatial(["latent", "image"]))
        unet_in = ["latent", "timestep"]
        unet_args = [lat, torch.tensor([500.0])]
        if spacing:
            unet_in.append("spacing")
            unet_args.append(torch.tensor([[150.0, 150.0, 150.0]]))
        if regions:
            unet_in += ["top_region_index", "bottom_region_index"]
            unet_args += [torch.tensor([[0.0, 100.0, 0.0, 0.0]]), torch.tensor([[0.0, 0.0, 100.0, 0.0]])]
        if modality:
            unet_in.append("class_label")
            unet_args.append(torch.tensor([1], dtype=torch.int64))
        dyn = spatial(["latent", "prediction"])
        for n in unet_in[1:]:
            dyn[n] = {0: "batch"}
        export(unet, tuple(unet_args), f"{a.out}/diffusion_unet.onnx", unet_in, ["prediction"], dyn)
        pe = torch.nn.functional.normalize(torch.rand(1, 2, dim), dim=-1)
        dyn = spatial(["f1", "f2", "f3"])
        dyn["prompt_embeddings"] = {0: "prompts"}
        dyn["anomaly_logits"] = {0: "batch", 1: "prompts", 2: "ld", 3: "lh", 4: "lw"}
        export(aova, (f1, f2, f3, pe), f"{a.out}/aova_head.onnx", ["f1", "f2", "f3", "prompt_embeddings"],
               ["anomaly_logits"], dyn)
        one = torch.rand(1, 1, 16, 32, 32)
        export(refine, (one, one, one, f3, one), f"{a.out}/refinement_head.onnx",
               ["image", "pseudo_healthy", "pixel_residual", "feature_residual", "anomaly_map"], ["lesion_logit"],
               spatial(["image", "pseudo_healthy", "pixel_residual", "feature_residual", "anomaly_map", "lesion_logit"]))

    graphs = {
        "vae_encoder": {"file": "vae_encoder.onnx", "inputs": [vol("image", 1)],
                        "outputs": [vol("latent_mean", C_Z, "l")] + [vol(n, c, n + "_") for n, c, _ in FEATURES]},
        "vae_decoder": {"file": "vae_decoder.onnx", "inputs": [vol("latent", C_Z, "l")], "outputs": [vol("image", 1)]},
        "diffusion_unet": {"file": "diffusion_unet.onnx",
                           "inputs": [vol("latent", C_Z, "l"), tensor("timestep", "float32", ["batch"])],
                           "outputs": [vol("prediction", C_Z, "l")]},
        "aova_head": {"file": "aova_head.onnx",
                      "inputs": [vol(n, c, n + "_") for n, c, _ in FEATURES]
                      + [tensor("prompt_embeddings", "float32", ["prompts", 2, dim])],
                      "outputs": [tensor("anomaly_logits", "float32", ["batch", "prompts", "ldepth", "lheight", "lwidth"])]},
        "refinement_head": {"file": "refinement_head.onnx",
                            "inputs": [vol("image", 1), vol("pseudo_healthy", 1), vol("pixel_residual", 1),
                                       vol("feature_residual", 16, "f3_"), vol("anomaly_map", 1)],
                            "outputs": [vol("lesion_logit", 1)]},
    }
    conditioning = {"spacing": {"input": "spacing", "scale": 100.0}, "body_region": None, "modality_class": None}
    unet_inputs = graphs["diffusion_unet"]["inputs"]
    unet_inputs.append(tensor("spacing", "float32", ["batch", 3]))
    if regions:
        conditioning["body_region"] = {"top_input": "top_region_index", "bottom_input": "bottom_region_index",
                                       "regions": ["head_neck", "chest", "abdomen", "pelvis"], "scale": 100.0,
                                       "default_top": "chest", "default_bottom": "abdomen"}
        unet_inputs += [tensor("top_region_index", "float32", ["batch", 4]),
                        tensor("bottom_region_index", "float32", ["batch", 4])]
    if modality:
        conditioning["modality_class"] = {"input": "class_label", "value": 1}
        unet_inputs.append(tensor("class_label", "int64", ["batch"]))

    normal, abnormal = "a ct scan of healthy tissue without {prompt}", "a ct scan showing {prompt}"
    prompts = {"mode": a.prompt_mode, "embedding_dim": dim, "normal_template": normal,
               "abnormal_template": abnormal, "text_encoder": None, "lexicon": None}
    if a.prompt_mode == "lexicon":
        gen = torch.Generator().manual_seed(a.seed + 1)
        texts = [t.format(prompt=x) for x in ["liver tumor", "lung nodule", "hepatocellular carcinoma"]
                 for t in (normal, abnormal)]
        emb = {t: [round(float(v), 6) for v in torch.nn.functional.normalize(torch.randn(dim, generator=gen), dim=0)]
               for t in texts}
        with open(f"{a.out}/lexicon.json", "w", encoding="utf-8") as f:
            json.dump({"embeddings": emb}, f)
        prompts["lexicon"] = "lexicon.json"
    if a.prompt_mode == "text_encoder":
        te = TextEncoder(dim).eval()
        ids = torch.tensor([[2, 5, 6, 3]])
        with torch.no_grad():
            export(te, (ids, torch.ones_like(ids), torch.zeros_like(ids)), f"{a.out}/text_encoder.onnx",
                   ["input_ids", "attention_mask", "token_type_ids"], ["last_hidden_state"],
                   {n: {0: "batch", 1: "seq"} for n in ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]})
        with open(f"{a.out}/vocab.txt", "w", encoding="utf-8") as f:
            f.write("\n".join(VOCAB) + "\n")
        prompts["text_encoder"] = {"vocab": "vocab.txt", "lower_case": True, "max_tokens": 32}
        graphs["text_encoder"] = {"file": "text_encoder.onnx",
                                  "inputs": [tensor(n, "int64", ["batch", "seq"]) for n in ["input_ids", "attention_mask", "token_type_ids"]],
                                  "outputs": [tensor("last_hidden_state", "float32", ["batch", "seq", dim])]}

    if a.scheduler == "rflow":
        scheduler = {"type": "rflow", "num_train_timesteps": 1000, "prediction_type": "x0_minus_noise",
                     "steps_offset": 0, "use_timestep_transform": True, "base_img_size_numel": 32768}
    else:
        scheduler = {"type": a.scheduler, "num_train_timesteps": 1000, "beta_schedule": "scaled_linear_beta",
                     "beta_start": 0.0015, "beta_end": 0.0195, "prediction_type": "epsilon", "clip_sample": False,
                     "steps_offset": 0}
        if a.scheduler == "ddim":
            scheduler["set_alpha_to_one"] = True

    files = sorted(f for f in os.listdir(a.out) if f != "manifest.json")
    manifest = {
        "format_version": 1,
        "name": f"tiny-{a.scheduler}-{a.prompt_mode}",
        "version": "0.0.1",
        "licence": "MIT",
        "description": "random-weight test package, hand-wired heads",
        "intended_use": {"modality": "CT", "body_regions": ["chest", "abdomen"]},
        "intensity": {"mode": "window", "a_min": -1000.0, "a_max": 1000.0, "b_min": 0.0, "b_max": 1.0, "clip": True},
        "model_space": {"spacing_mm": [2.0, 2.0, 2.0]},
        "tiling": {"tile_size": [32, 32, 16], "overlap": 0.25, "blend": "gaussian", "image_multiple": 16,
                   "activation_bytes_per_voxel": 512},
        "latent": {"channels": C_Z, "downsampling_factor": 4, "scale_factor": 1.0, "unet_multiple": 4,
                   "unet_tile_size": [8, 8, 4]},
        "features": [{"name": n, "channels": c, "stride": s} for n, c, s in FEATURES],
        "scheduler": scheduler,
        "conditioning": conditioning,
        "prompts": prompts,
        "segmentation": {"anomaly_threshold": 0.5, "dilation_latent_voxels": 1, "probability_threshold": 0.5,
                         "min_lesion_volume_ml": 0.05},
        "inpainting": {"strength": 0.6, "steps": 10, "eta": 0.0, "latent_margin_voxels": 1},
        "graphs": graphs,
        "provenance": {"foundry_commit": "unknown", "seed": a.seed, "training_config": {"kind": "random tiny"},
                       "opset": OPSET, "created_utc": "2026-11-28T00:00:00Z", "source_weights": "random"},
        "files": {f: hashlib.sha256(open(f"{a.out}/{f}", "rb").read()).hexdigest() for f in files},
    }
    with open(f"{a.out}/manifest.json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
