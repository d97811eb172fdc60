"""How much of a method's Dice is the diffusion noise? `diffugts eval` scores a method at one noise seed (`--seed`);
this reads several such runs of the same cases and says how far the seed moves each case and the mean, and compares
two packages on their per-case means over seeds rather than on one draw each.

    /usr/bin/python3 tools/seed_spread.py [--method full-pipeline] LABEL=RESULTS[,RESULTS...] [LABEL=RESULTS[,...]]

RESULTS is a `diffugts eval --out` folder (cases/<method>/<case>.json); the runs of one LABEL differ only in --seed.
Prints, per label, each run's mean Dice, the mean over runs, and the cases' mean and largest spread (max − min over
the runs); with two labels, the paired difference of the cases' means over runs (second − first) with a 95% bootstrap
interval (10,000 resamples of the cases, seed 0) and wins / ties / losses beyond 0.005. Only cases every run scored
are used. Exit status 0, or 2 on bad input.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def read_run(folder: Path, method: str) -> dict[str, float]:
    """Case id → Dice of one eval run (cases whose status is not ok are left out)."""
    scores = {}
    for path in sorted((folder / "cases" / method).glob("*.json")):
        case = json.loads(path.read_text())
        if case.get("status") == "ok" and case.get("dice") is not None:
            scores[case["caseId"]] = float(case["dice"])
    return scores


def paired(first: np.ndarray, second: np.ndarray, resamples: int = 10_000) -> tuple[float, float, float, tuple[int, int, int]]:
    """Mean of second − first, its 95% percentile bootstrap interval over the cases, and wins / ties / losses."""
    delta = second - first
    rng = np.random.default_rng(0)
    means = delta[rng.integers(0, len(delta), size=(resamples, len(delta)))].mean(axis=1)
    counts = (int((delta > 0.005).sum()), int((abs(delta) <= 0.005).sum()), int((delta < -0.005).sum()))
    return float(delta.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5)), counts


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--method", default="full-pipeline")
    p.add_argument("groups", nargs="+", help="LABEL=RESULTS[,RESULTS...]")
    args = p.parse_args(argv)
    groups: dict[str, list[dict[str, float]]] = {}
    for group in args.groups:
        label, _, folders = group.partition("=")
        runs = [read_run(Path(f), args.method) for f in folders.split(",") if f]
        if not label or not runs or not all(runs):
            print(f"seed_spread.py: {group!r} needs LABEL=RESULTS[,...] with {args.method} cases in each", file=sys.stderr)
            return 2
        groups[label] = runs
    if len(groups) > 2:
        print("seed_spread.py: at most two labels", file=sys.stderr)
        return 2

    common = sorted(set.intersection(*(set(r) for runs in groups.values() for r in runs)))
    table = {}
    for label, runs in groups.items():
        dice = np.array([[r[c] for c in common] for r in runs])  # runs × the cases every run of both labels scored
        table[label] = dice.mean(axis=0)
        width = dice.max(axis=0) - dice.min(axis=0)
        print(f"{label}: {len(runs)} run(s) over {len(common)} cases; mean Dice per run "
              f"{' '.join(f'{m:.3f}' for m in dice.mean(axis=1))}; over runs {dice.mean():.3f}; "
              f"spread per case mean {width.mean():.3f}, largest {width.max():.3f}")
    if len(groups) == 2:
        (a, first), (b, second) = table.items()
        mean, lo, hi, (w, t, l) = paired(first, second)
        print(f"{b} − {a} (cases' means over runs): {mean:+.3f} [{lo:+.3f}, {hi:+.3f}] ({w} / {t} / {l})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
