"""Does the trained AOVA head find the lesions of whole phantoms? A quick check in PyTorch, before any export.

    /usr/bin/python3 tools/aova_report.py CHECKPOINT CASE_DIR... --prompt-embeddings runs/prompt-embeddings.json

CHECKPOINT is a train.py checkpoint or final.pt; each CASE_DIR is one `diffugts phantom` case with one lesion. The
volume is encoded in non-overlapping tiles of the training crop edge (the runtime blends overlapping tiles; this is the
cheaper approximation), the AOVA probability for "<organ> tumor" is read on the latent grid, and the lesion's latent
voxels (max-pooled mask) are compared with the rest: median probability inside, 99th percentile and maximum outside,
the latent-grid Dice at --threshold and the best Dice over thresholds 0.05…0.95.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from foundry.phantoms import read_generator_case, window_intensity  # noqa: E402
from foundry.prompts import PromptEmbeddings  # noqa: E402
from foundry.reference_model import load_trained  # noqa: E402


def dice(pred: torch.Tensor, truth: torch.Tensor) -> float:
    return 2 * float((pred & truth).sum()) / max(float(pred.sum() + truth.sum()), 1.0)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", type=Path)
    p.add_argument("cases", type=Path, nargs="+")
    p.add_argument("--prompt-embeddings", type=Path, required=True)
    p.add_argument("--threshold", type=float, default=0.5)
    args = p.parse_args(argv)
    models, config, _ = load_trained(args.checkpoint)
    ae, aova = models.autoencoder, models.aova
    a_min, a_max = config.get("intensity_window", (-1000.0, 1000.0))
    crop, factor = int(config["crop"]), models.autoencoder.config.downsample_factor
    embeddings = PromptEmbeddings.load(args.prompt_embeddings)
    dices = []
    for folder in args.cases:
        case = read_generator_case(folder)
        lesion = case.present_lesions()[0]
        prompt = f"{lesion.organ} tumor"
        x = torch.from_numpy(window_intensity(case.image, a_min, a_max))[None, None]
        d, h, w = x.shape[2:]
        out = torch.zeros(d // factor, h // factor, w // factor)
        pairs = torch.from_numpy(embeddings.pairs([prompt]))
        with torch.no_grad():
            for z in range(0, d, crop):
                for y in range(0, h, crop):
                    for xx in range(0, w, crop):
                        _, _, f = ae.encode_with_features(x[:, :, z:z + crop, y:y + crop, xx:xx + crop])
                        out[z // factor:(z + crop) // factor, y // factor:(y + crop) // factor, xx // factor:(xx + crop) // factor] = \
                            torch.sigmoid(aova(*f, pairs))[0, 0]
        truth = F.max_pool3d(torch.from_numpy(case.lesion_mask().astype(np.float32))[None, None], factor, factor)[0, 0] > 0
        best = max((dice(out > t, truth), float(t)) for t in np.arange(0.05, 1.0, 0.05))
        at = dice(out > args.threshold, truth)
        dices.append(at)
        print(f"{folder.name} {lesion.organ}/{lesion.kind} {prompt!r}: inside median {out[truth].median():.3f} | "
              f"outside p99 {torch.quantile(out[~truth], 0.99):.3f} max {out[~truth].max():.3f} | "
              f"Dice@{args.threshold:.2f} {at:.2f} | best {best[0]:.2f} at {best[1]:.2f}", flush=True)
    print(f"mean latent Dice at {args.threshold:.2f}: {np.mean(dices):.3f} over {len(dices)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
