"""Synthetic focal anomalies for the refinement head (self-supervised anomaly synthesis, in the spirit of DRAEM and
foreign-patch interpolation).

A lesion kind the head has seen is what it learns to look for; a lesion it has not (a cyst, a kidney mass) falls
outside. Pasting generic focal intensity changes into the seen organs of healthy anatomy teaches the head the one thing
every lesion shares: tissue that differs from what the pseudo-healthy image says should be there. Each anomaly is an
irregular blob (an ellipsoid with a smoothly noisy boundary, clipped to the organ), blurred at its edge like partial
volume, that either shifts the organ's own texture by an offset or replaces it with a homogeneous value; offset and
value are drawn from wide ranges of both signs, not from any lesion kind's description. The caller chooses the organs:
the trainer uses only organs whose lesions are seen, so held-out organs get no lesion of any sort.
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter

# Ranges in voxels and HU, wide on purpose (the phantoms' lesions are 2–12 voxels across at 3 mm and 20–150 HU from
# their organ; these cover that and more, in both directions).
RADIUS_VOXELS = (1.5, 7.0)
CONTRAST_HU = (20.0, 180.0)
EDGE_SIGMA_VOXELS = (0.3, 1.5)


def synthetic_anomaly(image: np.ndarray, organ: np.ndarray, rng: np.random.Generator, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """One synthetic anomaly inside `organ` (bool [z, y, x], not empty) of `image` (HU, float32 [z, y, x]). `scale`
    multiplies the radius and edge ranges (which are in 3 mm voxels): 2 for a 1.5 mm grid.

    Returns the altered image (a copy) and the anomaly's mask (float32, 1 where its soft weight is at least 0.5; never
    empty: a blob that the organ clips away entirely shrinks to its centre voxel)."""
    inside = np.argwhere(organ)
    centre = inside[int(rng.integers(len(inside)))]
    radii = scale * rng.uniform(*RADIUS_VOXELS, size=3) * np.array([rng.uniform(0.7, 1.0), 1.0, 1.0])
    # Only the blob's neighbourhood is computed: a box of 2 radii plus the blur's reach around the centre.
    reach = np.ceil(radii * 1.6 + 4).astype(int)
    lo = np.maximum(centre - reach, 0)
    hi = np.minimum(centre + reach + 1, image.shape)
    box = tuple(slice(int(a), int(b)) for a, b in zip(lo, hi))
    grid = np.indices(tuple(int(b - a) for a, b in zip(lo, hi)), dtype=np.float32)
    distance = sum(((g + a - c) / r) ** 2 for g, a, c, r in zip(grid, lo, centre, radii))
    wobble = gaussian_filter(rng.standard_normal(distance.shape).astype(np.float32), 1.5 * scale)
    wobble *= float(rng.uniform(0.0, 0.5)) / max(float(np.abs(wobble).max()), 1e-6)
    blob = ((np.sqrt(distance) + wobble) <= 1.0) & organ[box]
    if not blob.any():
        blob[tuple(centre - lo)] = True
    weight = np.clip(gaussian_filter(blob.astype(np.float32), scale * float(rng.uniform(*EDGE_SIGMA_VOXELS))), 0.0, 1.0)
    weight = np.where(organ[box], weight, 0.0).astype(np.float32)
    weight[blob] = np.maximum(weight[blob], 0.5)

    patch = image[box].astype(np.float32)
    contrast = float(rng.uniform(*CONTRAST_HU)) * (1.0 if rng.random() < 0.5 else -1.0)
    if rng.random() < 0.5:
        # The organ's own texture, shifted.
        altered = patch + contrast
    else:
        # A homogeneous fill at the organ's level plus the offset, with some of the organ's noise.
        level = float(np.median(image[organ]))
        spread = float(np.std(patch[organ[box]])) if organ[box].sum() > 1 else 0.0
        altered = level + contrast + rng.uniform(0.2, 1.0) * spread * rng.standard_normal(patch.shape).astype(np.float32)
    out = image.astype(np.float32, copy=True)
    out[box] = patch + weight * (altered - patch)
    mask = np.zeros(image.shape, dtype=np.float32)
    mask[box] = (weight >= 0.5).astype(np.float32)
    return out, mask
