"""How well do the pseudo-healthy residuals separate a lesion from its surroundings? A quick check in PyTorch.

    /usr/bin/python3 tools/residual_report.py CHECKPOINT CASE_DIR... --prompt-embeddings runs/prompt-embeddings.json

CHECKPOINT is a train.py checkpoint or final.pt; each CASE_DIR is one `diffugts phantom` case with one lesion. The
whole volume is encoded at once (the node encodes in 32³ blocks, and the group norms make that differ by about 50 HU
in the organs: foundry.pipeline.blockwise; tools/node_residual_probe.py measures the node itself), the AOVA map for the
benchmark's prompt gives the candidate region (> --anomaly-threshold, dilated once), foundry.pipeline.pseudo_healthy
inpaints it with --steps and --strength as the package would, and the report compares, inside the inpainted region,
the smoothed residual against the image (|I − H|) and against the VAE's reconstruction (|R − H|): mean inside the
lesion, mean outside it, and their ratio; plus the refinement head's mean probability inside the lesion and its
99th percentile outside. --dice-thresholds T... adds the Dice of {smoothed |R − H| > T} against the lesion: the
residual alone as a detector. --oracle-organ replaces the AOVA's candidate region with the lesion's organ (from the
phantom's labels) and counts residuals inside that organ only: what an organ-aware candidate region could give.
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
from foundry.pipeline import pseudo_healthy  # noqa: E402
from foundry.prompts import PromptEmbeddings  # noqa: E402
from foundry.reference_model import PRESETS, load_trained  # noqa: E402
from foundry.schedulers import RectifiedFlowScheduler  # noqa: E402
from foundry.training import conditioning_for  # noqa: E402
from aova_report import dice  # noqa: E402

PROMPTS = {"liver": "liver tumor", "spleen": "spleen lesion", "pancreas": "pancreas mass", "kidney": "kidney mass"}


def benchmark_prompt(organ: str, kind: str) -> str:
    """The wording scripts/benchmark-zero-shot.sh gives the case."""
    return f"{organ} lesion" if kind == "cystic" else PROMPTS.get(organ, f"{organ} tumor")


def smooth(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian (σ in voxels), replicate padding."""
    r = max(int(3 * sigma + 0.5), 1)
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t ** 2 / (2 * sigma ** 2))
    k = k / k.sum()
    for dim in range(3):
        shape = [1, 1, 1, 1, 1]
        shape[2 + dim] = len(k)
        pad = [0] * 6
        pad[2 * (2 - dim)] = pad[2 * (2 - dim) + 1] = r
        x = F.conv3d(F.pad(x, pad, mode="replicate"), k.view(shape))
    return x


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", type=Path)
    p.add_argument("cases", type=Path, nargs="+")
    p.add_argument("--prompt-embeddings", type=Path, required=True)
    p.add_argument("--anomaly-threshold", type=float, default=0.1)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--strength", type=float, default=0.6)
    p.add_argument("--dice-thresholds", type=float, nargs="*", default=[])
    p.add_argument("--oracle-organ", action="store_true", help="candidate region = the lesion's organ (an upper bound)")
    p.add_argument("--sigma-voxels", type=float, default=0.5, help="residual smoothing (the node's 1.5 mm at 3 mm)")
    args = p.parse_args(argv)
    models, config, scale = load_trained(args.checkpoint)
    a_min, a_max = config.get("intensity_window", (-1000.0, 1000.0))
    factor = models.autoencoder.config.downsample_factor
    embeddings = PromptEmbeddings.load(args.prompt_embeddings)
    ratios: dict[str, list[float]] = {"I": [], "R": []}
    dices: list[list[float]] = []
    for folder in args.cases:
        case = read_generator_case(folder)
        lesion = case.present_lesions()[0]
        prompt = benchmark_prompt(lesion.organ, lesion.kind)
        x = torch.from_numpy(window_intensity(case.image, a_min, a_max))[None, None]
        truth = torch.from_numpy(case.lesion_mask())[None, None] > 0
        with torch.no_grad():
            encoded = models.autoencoder.encode_with_features(x)
            anomaly = torch.sigmoid(models.aova(*encoded[2], torch.from_numpy(embeddings.pairs([prompt]))))
            candidate = F.interpolate((anomaly > args.anomaly_threshold).to(torch.float32), scale_factor=float(factor), mode="nearest")
            organ = None
            if args.oracle_organ:
                organ = torch.from_numpy(np.isin(case.labels, case.organ_ids(lesion.organ)))[None, None] | truth
                candidate = organ.to(torch.float32)
            r = pseudo_healthy(models.autoencoder, models.unet, RectifiedFlowScheduler(PRESETS[str(config['preset'])].scheduler), x, candidate,
                               conditioning_for(case), scale, args.steps, args.strength, 1, 2, torch.Generator().manual_seed(0), encoded)
            anomaly_map = F.interpolate(anomaly, scale_factor=float(factor), mode="trilinear", align_corners=False)
            head = torch.sigmoid(models.refinement(x, r.pseudo_healthy, r.pixel_residual, r.feature_residual, anomaly_map))
        region = (x != r.pseudo_healthy) | truth
        line = [f"{folder.name} {lesion.organ}/{lesion.kind} {prompt!r}: lesion {int(truth.sum())} voxels, "
                f"inpainted {float((truth & (x != r.pseudo_healthy)).sum()) / max(int(truth.sum()), 1):.0%} of it"]
        for key, reference in (("I", x), ("R", r.reconstruction)):
            residual = smooth((reference - r.pseudo_healthy).abs(), args.sigma_voxels)
            inside, outside = float(residual[truth].mean()), float(residual[region & ~truth].mean())
            ratios[key].append(inside / max(outside, 1e-9))
            line.append(f"|{key} − H| in {inside:.3f} out {outside:.3f} ratio {inside / max(outside, 1e-9):.1f}")
            if key == "R" and args.dice_thresholds:
                within = residual if organ is None else residual * organ
                dices.append([dice(within > t, truth) for t in args.dice_thresholds])
                line.append("Dice " + " ".join(f"{d:.3f}" for d in dices[-1]))
        line.append(f"head in {float(head[truth].mean()):.3f} out p99 {float(torch.quantile(head[region & ~truth][:1_000_000], 0.99)):.3f}")
        print(" | ".join(line), flush=True)
    print(f"mean ratio over {len(args.cases)} cases: |I − H| {np.mean(ratios['I']):.2f}, |R − H| {np.mean(ratios['R']):.2f}")
    if dices:
        print("mean Dice of |R − H| > " + ", ".join(f"{t}: {d:.3f}" for t, d in zip(args.dice_thresholds, np.mean(dices, axis=0))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
