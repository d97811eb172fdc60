"""Export a trained reference model (runs/<name>/final.pt from train.py) as a DiffuGts model package.

    /usr/bin/python3 export_onnx.py --checkpoint runs/reference/final.pt --out ../models/reference

Writes the five ONNX graphs (six with --pixel-head: method (d)'s refinement head; opset 17), manifest.json
(docs/model-package.md, format_version 1, with provenance: foundry commit, seed, training config, opset, SHA-256 of
every file), MODEL_CARD.md, golden/ inputs and PyTorch outputs for the C# parity tests, and lexicon.json when the
prompts were PLACEHOLDER vectors. Each graph is checked with onnx.checker and its signature compared with the manifest
before the package is written.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import torch

from foundry.onnx_graphs import Layout
from foundry.package import PackageNetworks, export_package
from foundry.prompts import ABNORMAL_TEMPLATE, NORMAL_TEMPLATE, PromptEmbeddings
from foundry.reference_model import build_models, model_config
from foundry.refinement import RefinementHead
from foundry.training import MODALITY_CLASS


def model_card(final: dict[str, object], placeholder: bool, notes: str = "") -> str:
    prompts = ", ".join(f"`{p}`" for p in final["prompts"])  # type: ignore[union-attr]
    steps = final["stage_steps"]
    text = [
        "# diffugts-reference-ct",
        "",
        "Small MAISI-shaped latent diffusion model (3D KL autoencoder, 4× per axis, 4 latent channels; rectified-flow UNet "
        "with spacing, body-region and modality conditioning) plus AOVA and residual refinement heads, trained by "
        "deploy/model-foundry/train.py on synthetic phantoms from `diffugts phantom`.",
        "",
        f"- Seed {final['seed']}; steps {steps}; preset `{final['preset']}`; model spacing {final['spacing_mm']} mm; "
        f"training crops {final['training_config']['crop']}³ voxels (also the runtime tile edge); "  # type: ignore[index]
        f"{final['training_config'].get('heads_negative_fraction', 0) * 100:.0f} % of the heads' crops drawn anywhere in the body.",  # type: ignore[union-attr]
        f"- Seen prompts (trained): {prompts}. Held out: organs {final['training_config']['unseen_organs']}, "  # type: ignore[index]
        f"kinds {final['training_config']['unseen_kinds']}.",  # type: ignore[index]
        "- Not a medical device. Phantom-trained: accuracy on real scans is unknown and expected to be poor.",
        "- Sized to train in about an hour on 2 CPU cores, not to convergence: the steps above are small by design "
        "(loss curves: train.py writes runs/<name>/loss_*.png).",
    ]
    if not placeholder:
        text.append(f"- Prompts are encoded at run time by {final['prompt_embeddings']['model']} (the node's MiniLM encoder), so any "  # type: ignore[index]
                    "text is accepted (open vocabulary); the AOVA adapters were trained only on the seen prompts above and "
                    "their templated sentences, so how well an unseen wording or organ works is what the zero-shot benchmark "
                    "in the README measures.")
    if placeholder:
        text.append("- **Prompt embeddings are PLACEHOLDER random unit vectors**, shipped as `lexicon.json`: only the trained "
                    "prompts above are accepted. Retrain with `--prompt-embeddings` from `diffugts embed-prompts` for open vocabulary.")
    if notes:
        text += ["", notes.strip()]
    return "\n".join(text) + "\n"


def load_pixel_head(path: Path, final: dict[str, object]) -> RefinementHead:
    """The refinement head of `path`, a heads run trained without the feature residual on the very networks of `final`
    (the package's encoder, UNet and AOVA, compared tensor by tensor): the head of method (d)."""
    other = torch.load(path)
    cfg = model_config(other["preset"], other["training_config"])
    if cfg.refinement.feature_input:
        raise SystemExit(f"export_onnx.py: {path} was trained with the feature residual (use --heads-without-feature-residual)")
    for name in ("autoencoder", "unet", "aova"):
        mine, theirs = final["models"][name], other["models"][name]  # type: ignore[index]
        if mine.keys() != theirs.keys() or any(not torch.equal(mine[k], theirs[k]) for k in mine):
            raise SystemExit(f"export_onnx.py: {path} has another {name} than the checkpoint; its head would not fit the package")
    head = build_models(cfg, other["seed"]).refinement
    head.load_state_dict(other["models"]["refinement"], strict=True)
    return head


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", type=Path, required=True, help="final.pt written by train.py")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--name", default="diffugts-reference-ct")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--licence", default="LicenseRef-DiffuGts", help="SPDX id or licence name of the weights")
    p.add_argument("--inpainting-steps", type=int, default=30)
    p.add_argument("--inpainting-samples", type=int, default=None,
                   help="pseudo-healthy samples averaged into H (default: what the heads were trained with)")
    p.add_argument("--inpainting-average", choices=["decoded", "latent"], default="decoded",
                   help="how the node averages the pseudo-healthy samples: decoded images (one decode a sample) or the "
                        "inpainted latents, decoded once (docs/model-package.md inpainting.average)")
    p.add_argument("--unet-tile", type=int, default=None,
                   help="latent tile edge the node runs the UNet with (default: the run's --unet-crop, else 2 × the UNet multiple)")
    p.add_argument("--tile-overlap", type=float, default=0.25,
                   help="share of each VAE and UNet tile overlapping its neighbour in the node (0: the blocks train.py encodes with)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--anomaly-threshold", type=float, default=0.5,
                   help="AOVA probability above which a latent voxel is a candidate (calibrate.py chooses it)")
    p.add_argument("--anomaly-mask-threshold", type=float, default=None,
                   help="AOVA probability above which the anomaly map alone is a mask (ablation c; calibrate.py chooses "
                        "it; default: the anomaly threshold)")
    p.add_argument("--probability-threshold", type=float, default=0.5,
                   help="refined lesion probability above which a voxel is lesion (calibrate.py chooses it)")
    p.add_argument("--refine-within", choices=["box", "anomaly_region"], default="box",
                   help="where the refinement head's probability counts: the inpainted box, or only the AOVA's undilated "
                        "candidate (anomaly > threshold; docs/model-package.md §5 step 8)")
    p.add_argument("--pixel-head", type=Path, default=None,
                   help="final.pt of a heads run with --heads-without-feature-residual on the same AOVA: its refinement head "
                        "becomes the package's refinement_head_pixel_residual, method (d) of the benchmark")
    p.add_argument("--pixel-head-probability-threshold", type=float, default=None,
                   help="that head's probability threshold (default: --probability-threshold)")
    p.add_argument("--card-notes", type=Path, default=None,
                   help="Markdown appended to MODEL_CARD.md (measured results), so the manifest's hash covers it")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    final = torch.load(args.checkpoint)
    cfg = model_config(final["preset"], final["training_config"])
    current, saved = cfg.to_dict(), final["model_config"]
    # Keys added to a network's config since the run keep their defaults, which are the behaviour the run trained with.
    if set(current) != set(saved) or any({k: current[n].get(k) for k in keys} != keys for n, keys in saved.items()):
        print(f"export_onnx.py: {args.checkpoint} was trained with another '{final['preset']}' preset", file=sys.stderr)
        return 2
    models = build_models(cfg, final["seed"])
    for name, module in models.modules().items():
        module.load_state_dict(final["models"][name], strict=True)
    pixel_head = load_pixel_head(args.pixel_head, final) if args.pixel_head else None
    source = f"trained by train.py ({args.checkpoint.name})"
    if args.pixel_head:
        source += f"; method (d)'s head from {args.pixel_head.parent.name}/{args.pixel_head.name}"
    emb = final["prompt_embeddings"]
    embeddings = PromptEmbeddings.load_dict(emb)
    placeholder = embeddings.is_placeholder
    prompts_entry = {
        "mode": "lexicon" if placeholder else "minilm",
        "embedding_dim": embeddings.dim,
        "normal_template": NORMAL_TEMPLATE,
        "abnormal_template": ABNORMAL_TEMPLATE,
        "text_encoder": None,
        "lexicon": "lexicon.json" if placeholder else None,
    }
    shutil.rmtree(args.out, ignore_errors=True)
    nets = PackageNetworks(models.autoencoder, models.unet, models.aova, models.refinement, Layout.LPS_ZYX, pixel_head)
    manifest = export_package(
        nets, args.out, name=args.name, version=args.version, licence=args.licence,
        description="DiffuGts reference model trained on synthetic phantoms (not for clinical use).",
        modality=final["modality"], body_regions=final["body_regions"], spacing_mm=final["spacing_mm"],
        scale_factor=final["scale_factor"], scheduler=cfg.scheduler.to_dict(),
        modality_class=MODALITY_CLASS.get(final["modality"], 0), prompts=prompts_entry,
        lexicon=embeddings.lexicon(final["prompts"]) if placeholder else None,
        inpainting={"strength": final["training_config"]["inpainting_strength"], "steps": args.inpainting_steps,
                    "eta": 0.0, "latent_margin_voxels": final["training_config"]["latent_margin_voxels"],
                    "residual_reference": "reconstruction",  # foundry.pipeline: the heads train on |R − H|
                    "samples": args.inpainting_samples or int(final["training_config"].get("inpainting_samples", 1)),
                    **({"average": "latent"} if args.inpainting_average == "latent" else {})},
        seed=final["seed"], training_config={**final["training_config"], "stage_steps": final["stage_steps"]},
        source_weights=source, model_card=model_card(final, placeholder, args.card_notes.read_text(encoding="utf-8") if args.card_notes else ""),
        tile_edge=int(final["training_config"]["crop"]),
        unet_tile_edge=args.unet_tile or final["training_config"].get("unet_crop"),
        tile_overlap=args.tile_overlap,
        intensity_window=tuple(final["training_config"].get("intensity_window", (-1000.0, 1000.0))),
        segmentation={"anomaly_threshold": args.anomaly_threshold, "probability_threshold": args.probability_threshold,
                      **({"refine_within": args.refine_within} if args.refine_within != "box" else {}),
                      **({"anomaly_mask_threshold": args.anomaly_mask_threshold} if args.anomaly_mask_threshold is not None else {}),
                      **({"pixel_head_probability_threshold": args.pixel_head_probability_threshold}
                         if pixel_head is not None and args.pixel_head_probability_threshold is not None else {})},
    )
    print(manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
