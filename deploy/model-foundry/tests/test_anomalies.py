from __future__ import annotations

import numpy as np

from foundry.anomalies import synthetic_anomaly


def _organ_and_image() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    image = (rng.normal(0, 10, size=(24, 32, 32)) - 100).astype(np.float32)  # "fat" around
    organ = np.zeros(image.shape, dtype=bool)
    organ[4:20, 6:26, 8:24] = True
    image[organ] = 60 + rng.normal(0, 10, size=int(organ.sum()))
    return image, organ


def test_syntheticAnomaly_changesOnlyTheOrganAndMasksWhereItDid() -> None:
    image, organ = _organ_and_image()
    contrasts = []
    for seed in range(20):
        altered, mask = synthetic_anomaly(image, organ, np.random.default_rng(seed))
        assert mask.sum() > 0 and mask.dtype == np.float32
        assert not mask[~organ].any()  # clipped to the organ
        assert np.array_equal(altered[~organ], image[~organ])  # tissue outside the organ is untouched
        assert altered.shape == image.shape and not np.shares_memory(altered, image)
        contrasts.append(float((altered - image)[mask > 0].mean()))
    # Both directions, a wide range of strengths: not one lesion kind's appearance.
    assert min(contrasts) < -40 and max(contrasts) > 40


def test_syntheticAnomaly_sameSeedSameAnomaly() -> None:
    image, organ = _organ_and_image()
    a = synthetic_anomaly(image, organ, np.random.default_rng(3))
    b = synthetic_anomaly(image, organ, np.random.default_rng(3))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_syntheticAnomaly_scale_growsTheBlobForAFinerGrid() -> None:
    image, organ = _organ_and_image()
    plain = [synthetic_anomaly(image, organ, np.random.default_rng(seed))[1].sum() for seed in range(10)]
    doubled = [synthetic_anomaly(image, organ, np.random.default_rng(seed), scale=2.0)[1].sum() for seed in range(10)]
    # Same draws, radii twice as long: a larger volume every time (the organ clips the largest ones).
    assert all(d > p for d, p in zip(doubled, plain))
    assert np.mean(doubled) > 3 * np.mean(plain)
