"""Probe: how much of a lesion's contrast does the VAE keep, at the package's spacing or on an upsampled grid?

For each benchmark case folder (scripts/benchmark-zero-shot.sh layout: image.nii.gz, lesion.nii.gz, organs.nii.gz,
case.json with organLabelValues), the image is windowed to −200…300, optionally upsampled by an integer factor
(trilinear, as the node resamples a 3 mm study into a finer model space), encoded and decoded in 32³ blocks as the node
does (foundry.pipeline.blockwise), and brought back by average pooling. Prints the mean |I − R| in the target organ
outside the lesion and the lesion's contrast (lesion mean minus the mean of a 2-voxel organ ring around it) in I and in
R, and their ratio ("kept": 1 = kept, 0 = lost, negative = inverted).

    /usr/bin/python3 tools/lesion_contrast_probe.py CHECKPOINT_OR_PACKAGE FACTOR CASE_DIR...
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from foundry.package_weights import load_networks  # noqa: E402
from foundry.pipeline import blockwise, encode_blockwise  # noqa: E402

BLOCK = 32


def load(path: Path) -> np.ndarray:
    return np.asarray(nib.load(str(path)).dataobj, dtype=np.float32).T  # (x, y, z) → (z, y, x)


def main(argv: list[str]) -> int:
    source, factor, cases = Path(argv[0]), int(argv[1]), [Path(c) for c in argv[2:]]
    models = load_networks(source)[0]
    ae = models.autoencoder.eval()
    for case in cases:
        meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
        image = np.clip((load(case / "image.nii.gz") + 200) / 500, 0, 1)
        lesion = load(case / "lesion.nii.gz") > 0
        organ = np.isin(load(case / "organs.nii.gz").astype(int), meta["organLabelValues"]) & ~lesion
        x = torch.from_numpy(image)[None, None]
        if factor > 1:
            x = F.interpolate(x, scale_factor=factor, mode="trilinear", align_corners=False)
        pad = [(-n) % BLOCK for n in x.shape[2:]]
        x = F.pad(x, (0, pad[2], 0, pad[1], 0, pad[0]))
        with torch.no_grad():
            mu, _, _ = encode_blockwise(ae, x, BLOCK)
            r = blockwise(ae.decode, mu, BLOCK // ae.config.downsample_factor)
        r = r[..., : x.shape[2] - pad[0], : x.shape[3] - pad[1], : x.shape[4] - pad[2]]
        if factor > 1:
            r = F.avg_pool3d(r, factor)
        recon = r[0, 0].numpy()
        ring = ndimage.binary_dilation(lesion, iterations=2) & organ
        ci = image[lesion].mean() - image[ring].mean()
        cr = recon[lesion].mean() - recon[ring].mean()
        print(f"{case.name}: {lesion.sum()} lesion voxels, |I − R| in the organ {np.abs(image - recon)[organ].mean():.3f}, "
              f"lesion contrast I {ci:+.3f} R {cr:+.3f}, kept {cr / ci:+.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
