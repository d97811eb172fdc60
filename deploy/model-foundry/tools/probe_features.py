"""Linear probe: can lesion voxels be told from their host organ's voxels with the frozen encoder's features?

    /usr/bin/python3 tools/probe_features.py CHECKPOINT TRAIN_DIR VALIDATION_DIR [--organs liver spleen]

CHECKPOINT is a train.py checkpoint or final.pt; the directories hold `diffugts phantom` cases. For each case with a
lesion in one of --organs, a 32³ crop near the lesion is encoded; every voxel of the lesion or of its host organ becomes
a sample with the f1, f2, f3 features (nearest-upsampled to the image grid). A logistic regression (L-BFGS, balanced)
is fitted on TRAIN_DIR and scored by AUC on VALIDATION_DIR, beside the AUC of |HU − host median| alone. A high probe
AUC with heads that do not learn says the heads' training is at fault, not the features.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from foundry.phantoms import read_generator_case, window_intensity  # noqa: E402
from foundry.reference_model import PRESETS, build_models  # noqa: E402


def auc(score: np.ndarray, y: np.ndarray) -> float:
    ranks = np.empty(len(score))
    ranks[np.argsort(score)] = np.arange(len(score))
    pos, neg = y.sum(), len(y) - y.sum()
    return float((ranks[y].sum() - pos * (pos - 1) / 2) / (pos * neg))


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", type=Path)
    p.add_argument("train", type=Path)
    p.add_argument("validation", type=Path)
    p.add_argument("--organs", nargs="*", default=["liver", "spleen"])
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    saved = torch.load(args.checkpoint)
    models = build_models(PRESETS[saved.get("preset", "reference")], 1234)
    models.autoencoder.load_state_dict(saved["models"]["autoencoder"])
    ae = models.autoencoder.eval()
    rng = np.random.default_rng(args.seed)

    def collect(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        feats, hus, ys = [], [], []
        for d in sorted(x for x in folder.iterdir() if (x / "phantom.json").exists()):
            case = read_generator_case(d)
            lesions = [l for l in case.present_lesions() if l.organ in args.organs]
            if not lesions:
                continue
            organ = case.organ_ids(lesions[0].organ)
            mask = case.lesion_mask()
            centre = np.argwhere(mask).mean(axis=0).astype(int)
            lo = [int(np.clip(c - 16 + rng.integers(-8, 9), 0, n - 32)) for c, n in zip(centre, mask.shape)]
            sl = tuple(slice(s, s + 32) for s in lo)
            x = torch.from_numpy(window_intensity(case.image[sl]).astype(np.float32))[None, None]
            with torch.no_grad():
                _, _, f = ae.encode_with_features(x)
            up = torch.cat([torch.nn.functional.interpolate(t, size=(32, 32, 32), mode="nearest") for t in f], 1)[0]
            lesion = mask[sl].reshape(-1) > 0
            keep = lesion | np.isin(case.labels[sl].reshape(-1), organ)
            feats.append(up.reshape(up.shape[0], -1).T.numpy()[keep])
            hus.append(case.image[sl].reshape(-1)[keep])
            ys.append(lesion[keep])
        if not feats:
            raise ValueError(f"{folder}: no case with a lesion in {args.organs}")
        return np.concatenate(feats), np.concatenate(hus), np.concatenate(ys)

    try:
        ft, _, yt = collect(args.train)
        fv, hv, yv = collect(args.validation)
    except (FileNotFoundError, ValueError) as e:
        print(f"probe_features.py: {e}", file=sys.stderr)
        return 2
    mu, sd = ft.mean(0), ft.std(0) + 1e-6
    a = torch.from_numpy(np.c_[(ft - mu) / sd, np.ones(len(ft))]).float()
    y = torch.from_numpy(yt).float()
    w = torch.zeros(a.shape[1], requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=200)
    pos_weight = torch.tensor((1 - yt.mean()) / yt.mean())

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(a @ w, y, pos_weight=pos_weight) + 1e-3 * (w ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    weights = w.detach().numpy()
    score_v = np.c_[(fv - mu) / sd, np.ones(len(fv))] @ weights
    print(f"train voxels {len(yt)} (lesion {int(yt.sum())}), validation {len(yv)} (lesion {int(yv.sum())})")
    print(f"linear probe on encoder features: train AUC {auc(a.numpy() @ weights, yt):.3f}, validation AUC {auc(score_v, yv):.3f}")
    print(f"|HU - host median| alone: validation AUC {auc(np.abs(hv - np.median(hv[~yv])), yv):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
