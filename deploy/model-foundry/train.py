"""Train the DiffuGts reference model in resumable stages: vae → unet → aova → heads (refinement).

    /usr/bin/python3 train.py --data PHANTOM_DIR --run runs/reference --max-minutes 80

Rerun the same command to resume from runs/<name>/checkpoint.pt. Exit status: 0 when every stage is complete
(runs/<name>/final.pt written), 3 when the time budget stopped the run (resume by rerunning), 2 on bad input.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from foundry.phantoms import iter_directory
from foundry.reference_model import PRESETS
from foundry.training import STAGES, Trainer, TrainingConfig

EXIT_BUDGET = 3


def parse_args(argv: list[str]) -> argparse.Namespace:
    defaults = TrainingConfig()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, nargs="+", required=True,
                   help="directories of `diffugts phantom` cases (e.g. the training set and extra lesion cases)")
    p.add_argument("--run", type=Path, default=Path("runs/reference"), help="run directory (checkpoint, plots, final.pt)")
    p.add_argument("--preset", choices=sorted(PRESETS), default=defaults.preset)
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.add_argument("--crop", type=int, default=defaults.crop, help="training crop edge in voxels (multiple of 32)")
    p.add_argument("--unet-crop", type=int, default=defaults.unet_crop,
                   help="UNet stage latent crop edge (default crop / 4); the package's UNet tile")
    p.add_argument("--heads-crop", type=int, default=defaults.heads_crop,
                   help="heads bank crop edge (default --crop; a multiple of it, the VAE still runs in --crop blocks)")
    for stage in STAGES:
        p.add_argument(f"--steps-{stage}", type=int, default=defaults.steps[stage])
        p.add_argument(f"--batch-{stage}", type=int, default=defaults.batch[stage])
    p.add_argument("--prompt-embeddings", type=Path, default=None,
                   help="JSON from `diffugts embed-prompts`; without it PLACEHOLDER random unit vectors are used")
    p.add_argument("--unseen-organs", nargs="*", default=defaults.unseen_organs)
    p.add_argument("--unseen-kinds", nargs="*", default=defaults.unseen_kinds)
    p.add_argument("--intensity-window", type=float, nargs=2, metavar=("A_MIN", "A_MAX"), default=defaults.intensity_window,
                   help="HU window mapped to [0, 1] (default MAISI's -1000 1000)")
    p.add_argument("--inpainting-steps", type=int, default=defaults.inpainting_steps)
    p.add_argument("--inpainting-strength", type=float, default=defaults.inpainting_strength,
                   help="share of the inpainting steps run, from noise at that level (1: the candidate region starts as "
                        "pure noise and keeps nothing of what was there); heads bank and the exported package")
    p.add_argument("--inpainting-samples", type=int, default=defaults.inpainting_samples,
                   help="pseudo-healthy samples averaged into H (heads bank and the exported package)")
    p.add_argument("--lr-aova", type=float, default=defaults.learning_rate["aova"], help="AOVA head learning rate")
    p.add_argument("--lr-heads", type=float, default=defaults.learning_rate["heads"], help="refinement head learning rate")
    p.add_argument("--aova-bank", type=int, default=defaults.aova_bank,
                   help="crops whose frozen encoder features the AOVA stage caches (half near a lesion, half anywhere)")
    p.add_argument("--aova-flip", action="store_true", help="mirror bank crops left-right / front-back before encoding")
    p.add_argument("--aova-organ-prior", type=float, default=defaults.aova_organ_prior,
                   help="soft AOVA target on the organ each prompt names (0: lesions only)")
    p.add_argument("--aova-factorised", action="store_true",
                   help="AOVA = abnormality (any organ) × inside the named organ (held-out organs' masks included)")
    p.add_argument("--aova-intensity-jitter-hu", type=float, default=defaults.aova_intensity_jitter_hu,
                   help="shift each organ (with its lesions) of an AOVA crop by its own offset from ±HU (0 = off)")
    p.add_argument("--aova-organ-crops", type=float, default=defaults.aova_organ_crops,
                   help="share of the AOVA bank's body crops centred in an organ a prompt names (0 = anywhere in the body)")
    p.add_argument("--aova-train-text-projection", action="store_true",
                   help="train the AOVA's text projections too (default: frozen at MiniLM's own geometry)")
    p.add_argument("--aova-pos-weight", type=float, default=defaults.aova_pos_weight, help="BCE weight of lesion voxels")
    p.add_argument("--heads-bank", type=int, default=defaults.heads_bank,
                   help="crops whose pseudo-healthy residuals the heads stage caches (half near a lesion, half anywhere)")
    p.add_argument("--heads-anomaly-gain", type=float, default=None,
                   help="start the refinement head's gain on logit(AOVA) here (the head's default is 1; 0 = residuals first)")
    p.add_argument("--heads-candidate-threshold", type=float, default=defaults.heads_candidate_threshold,
                   help="AOVA probability above which the heads bank inpaints (use the package's anomaly threshold)")
    p.add_argument("--heads-residuals-only", action="store_true",
                   help="the refinement head does not read the AOVA map (the AOVA only chooses the region to inpaint)")
    p.add_argument("--heads-without-feature-residual", action="store_true",
                   help="the refinement head never sees the feature residual: the head of method (d), AOVA + pixel residual")
    p.add_argument("--heads-without-pixel-residual", action="store_true",
                   help="the refinement head never sees the pixel-level residuals (leave-one-out against method (d)'s head)")
    p.add_argument("--heads-negative-fraction", type=float, default=defaults.heads_negative_fraction,
                   help="share of each heads batch drawn anywhere in the body instead of centred on a lesion")
    p.add_argument("--heads-synthetic-fraction", type=float, default=defaults.heads_synthetic_fraction,
                   help="share of the heads bank's positive crops whose lesion is a synthetic anomaly in a seen-lesion organ")
    p.add_argument("--heads-synthetic-aova-blind", action="store_true",
                   help="the AOVA map of a synthetic-anomaly crop is that of the crop without it (as for a held-out lesion)")
    p.add_argument("--heads-organ-crops", type=float, default=defaults.heads_organ_crops,
                   help="share of the heads bank's negative crops centred in the organ their prompt names (0 = anywhere)")
    p.add_argument("--heads-synthetic-organs", nargs="*", default=defaults.heads_synthetic_organs,
                   help="organs that receive the synthetic anomalies (default: those of the seen lesions)")
    p.add_argument("--unet-heal-fraction", type=float, default=defaults.unet_heal_fraction,
                   help="share of each UNet batch whose noised input holds a synthetic anomaly and whose target is the crop without it")
    p.add_argument("--unet-heal-weight", type=float, default=defaults.unet_heal_weight,
                   help="loss weight of the latent voxels a healing-share anomaly touches (1: the plain mean)")
    p.add_argument("--unet-heal-bank", type=int, default=defaults.unet_heal_bank, help="anomaly crop pairs encoded for the UNet's healing share")
    p.add_argument("--unet-heal-twins", type=Path, default=None,
                   help="folder of the seen-lesion cases' healthy twins (same names): their real lesions join the healing bank")
    p.add_argument("--unet-heal-twin-crops", type=int, default=defaults.unet_heal_twin_crops,
                   help="healing pairs drawn around each seen-lesion case's lesions with --unet-heal-twins")
    p.add_argument("--unet-focus-organs", nargs="*", default=defaults.unet_focus_organs,
                   help="organs on which --unet-focus-fraction of the UNet's healthy crops are centred (healthy tissue only)")
    p.add_argument("--unet-focus-fraction", type=float, default=defaults.unet_focus_fraction)
    p.add_argument("--vae-decoder-only", action="store_true",
                   help="the VAE stage trains the decoder only (the latent space stays the initialised encoder's)")
    p.add_argument("--vae-focus-organs", nargs="*", default=defaults.vae_focus_organs,
                   help="organs on which --vae-focus-fraction of the VAE crops are centred")
    p.add_argument("--vae-focus-fraction", type=float, default=defaults.vae_focus_fraction)
    p.add_argument("--init-from", type=Path, default=None,
                   help="start the --init-models networks from this checkpoint (e.g. a run at another spacing) or from a "
                        "reference package folder made by export_onnx.py (e.g. ../models/reference: its weights are "
                        "read back from the ONNX graphs and checked against its golden outputs)")
    p.add_argument("--model-spacing", type=float, default=None,
                   help="resample every case to this isotropic spacing in mm, as the node resamples into model space "
                        "(default: train at the cases' own spacing)")
    p.add_argument("--init-models", nargs="*", default=defaults.init_models)
    p.add_argument("--init-unet-from", type=Path, default=None,
                   help="take the UNet from this checkpoint instead (same latent scale factor as --init-from)")
    p.add_argument("--checkpoint-every", type=int, default=defaults.checkpoint_every)
    p.add_argument("--max-minutes", type=float, default=80.0, help="stop (with a checkpoint) after this many minutes")
    p.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not 0 < args.inpainting_strength <= 1:
        print(f"train.py: --inpainting-strength must be in (0, 1], not {args.inpainting_strength}", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    cfg = TrainingConfig(
        preset=args.preset,
        seed=args.seed,
        crop=args.crop,
        unet_crop=args.unet_crop,
        heads_crop=args.heads_crop,
        heads_synthetic_aova_blind=args.heads_synthetic_aova_blind,
        heads_synthetic_organs=[o.lower() for o in args.heads_synthetic_organs],
        vae_decoder_only=args.vae_decoder_only,
        unet_heal_fraction=args.unet_heal_fraction,
        unet_heal_bank=args.unet_heal_bank,
        unet_heal_weight=args.unet_heal_weight,
        unet_heal_twins=None if args.unet_heal_twins is None else str(args.unet_heal_twins),
        unet_heal_twin_crops=args.unet_heal_twin_crops,
        unet_focus_organs=[o.lower() for o in args.unet_focus_organs],
        unet_focus_fraction=args.unet_focus_fraction,
        vae_focus_organs=[o.lower() for o in args.vae_focus_organs],
        vae_focus_fraction=args.vae_focus_fraction,
        steps={s: getattr(args, f"steps_{s}") for s in STAGES},
        batch={s: getattr(args, f"batch_{s}") for s in STAGES},
        unseen_organs=[o.lower() for o in args.unseen_organs],
        unseen_kinds=[k.lower() for k in args.unseen_kinds],
        inpainting_steps=args.inpainting_steps,
        inpainting_strength=args.inpainting_strength,
        intensity_window=[float(v) for v in args.intensity_window],
        checkpoint_every=args.checkpoint_every,
        heads_negative_fraction=args.heads_negative_fraction,
        heads_synthetic_fraction=args.heads_synthetic_fraction,
        heads_organ_crops=args.heads_organ_crops,
        inpainting_samples=args.inpainting_samples,
        learning_rate={**TrainingConfig().learning_rate, "aova": args.lr_aova, "heads": args.lr_heads},
        aova_bank=args.aova_bank,
        heads_bank=args.heads_bank,
        heads_anomaly_gain=args.heads_anomaly_gain,
        aova_pos_weight=args.aova_pos_weight,
        aova_flip=args.aova_flip,
        aova_organ_prior=args.aova_organ_prior,
        aova_factorised=args.aova_factorised,
        aova_intensity_jitter_hu=args.aova_intensity_jitter_hu,
        aova_organ_crops=args.aova_organ_crops,
        aova_train_text_projection=args.aova_train_text_projection,
        heads_anomaly_input=not args.heads_residuals_only,
        heads_feature_input=not args.heads_without_feature_residual,
        heads_pixel_input=not args.heads_without_pixel_residual,
        heads_candidate_threshold=args.heads_candidate_threshold,
        init_from=str(args.init_from) if args.init_from is not None else None,
        init_models=list(args.init_models),
        init_unet_from=str(args.init_unet_from) if args.init_unet_from is not None else None,
        model_spacing=args.model_spacing,
    )
    try:
        trainer = Trainer((case for folder in args.data for case in iter_directory(folder)), args.run, cfg, args.prompt_embeddings)
    except (FileNotFoundError, ValueError, KeyError) as e:
        print(f"train.py: {e}", file=sys.stderr)
        return 2
    if trainer.embeddings.is_placeholder:
        print("train.py: WARNING prompt embeddings are PLACEHOLDER random unit vectors (no --prompt-embeddings)")
    done = trainer.run(args.max_minutes)
    if done:
        print(f"training complete: {args.run / 'final.pt'}")
        return 0
    return EXIT_BUDGET


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
