"""Export MAISI (v1 DDPM or v2 rectified flow) into the DiffuGts package format, from real checkpoints or tiny stand-ins.

    /usr/bin/python3 export_maisi.py --variant rflow-ct \\
        --autoencoder /path/to/autoencoder_v1.pt --unet /path/to/diff_unet_3d_rflow-ct.pt --out ../models/maisi-rflow-ct
    /usr/bin/python3 export_maisi.py --variant ddpm-ct --tiny --out /tmp/maisi-ddpm-tiny      # random tiny widths

Checkpoints are loaded strictly: every missing, unexpected or mis-shaped key is named (exit status 2).
Nothing is downloaded; the checkpoint files must already be on disk.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from foundry.maisi import VARIANTS, CheckpointMismatch, MaisiCheckpoints, export_maisi_package



def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--variant", choices=sorted(VARIANTS), required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--autoencoder", type=Path, help="autoencoder_v1.pt / autoencoder_v2.pt")
    p.add_argument("--unet", type=Path, help="diff_unet_3d_<variant>.pt")
    p.add_argument("--tiny", action="store_true", help="tiny random widths instead of checkpoints (tests)")
    p.add_argument("--allow-pickle", action="store_true", help="load with weights_only=False (only for files you trust)")
    p.add_argument("--seed", type=int, default=0, help="seed of the (untrained) heads and of the golden inputs")
    p.add_argument("--spacing", type=float, nargs=3, default=(1.5, 1.5, 1.5), help="model-space spacing (x y z) mm")
    p.add_argument("--body-regions", nargs="+", default=["chest", "abdomen"])
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.tiny == bool(args.autoencoder or args.unet) or (not args.tiny and not (args.autoencoder and args.unet)):
        p.error("give either --tiny, or both --autoencoder and --unet")
    checkpoints = None if args.tiny else MaisiCheckpoints(args.autoencoder, args.unet, args.allow_pickle)
    try:
        manifest = export_maisi_package(args.variant, args.out, checkpoints, args.tiny, args.seed,
                                        tuple(args.spacing), tuple(args.body_regions))
    except (CheckpointMismatch, ValueError, FileNotFoundError) as e:
        print(f"export_maisi.py: {e}", file=sys.stderr)
        return 2
    print(manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
