"""Staged, resumable training of the reference model: vae → unet (healthy cases) → aova (cached encoder features) → heads (refinement).

Every random draw comes from a generator seeded by (seed, stage, step), so a run interrupted by its time budget and
resumed from `checkpoint.pt` continues exactly as an uninterrupted run would. Unseen organs and lesion kinds are held out:
cases that contain them are never used by the aova and heads stages, and their lesion prompts are never trained. With the
AOVA organ prior (TrainingConfig.aova_organ_prior), a held-out organ's generic prompts ("kidney mass") are taught where
that organ is, from healthy anatomy, never what its lesions look like.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import torch
import torch.nn.functional as F

from foundry.anomalies import synthetic_anomaly
from foundry.aova import product_logit
from foundry.package_weights import load_package_weights
from foundry.phantoms import PhantomCase, fit_to_multiple, read_named_case, region_one_hot, resample_case, window_intensity
from foundry.pipeline import Conditioning, blockwise, encode_blockwise, pseudo_healthy
from foundry.prompts import GENERIC_FINDINGS, PromptEmbeddings, prompt_for, prompts_for_lesion, templated
from foundry.reference_model import ReferenceModelConfig, ReferenceModels, build_models, model_config
from foundry.schedulers import RectifiedFlowScheduler

STAGES = ("vae", "unet", "aova", "heads")
CHECKPOINT = "checkpoint.pt"
FINAL = "final.pt"
MODALITY_CLASS = {"CT": 1, "MR": 8}  # MAISI v2 modality mapping (§5.5): 1 = ct, 8 = mri


@dataclass
class TrainingConfig:
    preset: str = "reference"
    seed: int = 1234
    crop: int = 32
    # Latent crop edge of the UNet stage (None: crop / the VAE factor). The node runs the UNet in tiles of the package's
    # latent.unet_tile_size, which the export sets to this, so the UNet's group norms and attention see at inference the
    # extent they saw in training.
    unet_crop: int | None = None
    # Crop edge of the heads bank (None: crop). The VAE still runs in crop-sized blocks; a larger crop lets the UNet
    # inpaint a box as large as its unet_crop tile, as at inference.
    heads_crop: int | None = None
    steps: dict[str, int] = field(default_factory=lambda: {"vae": 2000, "unet": 6000, "aova": 500, "heads": 1000})
    # PyTorch 1.13 runs a batch of one through its slow reference convolution backward; two or more take oneDNN.
    batch: dict[str, int] = field(default_factory=lambda: {"vae": 4, "unet": 8, "aova": 16, "heads": 8})
    # Share of each heads batch drawn anywhere in the body (healthy tissue, other organs' lesions) rather than centred on
    # a lesion: at inference a lesion is a small part of the volume, and heads that only ever saw lesion-centred crops
    # call everything abnormal.
    heads_negative_fraction: float = 0.5
    # Share of the heads bank's positive crops whose lesion is a synthetic anomaly (foundry.anomalies: a generic focal
    # intensity change pasted into an organ whose lesions are seen, in healthy or seen-lesion cases) instead of a real
    # seen lesion: the head learns "differs from its pseudo-healthy self" rather than the seen lesion kinds' looks.
    heads_synthetic_fraction: float = 0.0
    # The AOVA map of a synthetic-anomaly crop is that of the crop without the anomaly: the AOVA does not see it, as it
    # does not see a held-out lesion, and the head must find it from the residuals inside the candidate region alone.
    # Off, the AOVA (trained on the seen kinds) often marks the blob, and the head learns to follow the AOVA.
    heads_synthetic_aova_blind: bool = False
    # Organs that receive the synthetic anomalies; empty: the organs of the seen lesions. Naming a held-out organ here
    # puts generic anomalies (never a real lesion of it) into its healthy tissue, so the head learns that organ's
    # residual floor; the benchmark must then say so, as the organ is held out from the lesion annotations only.
    heads_synthetic_organs: list[str] = field(default_factory=list)
    # Share of the heads bank's negative crops centred on a voxel of the organ their prompt names (0: anywhere in the
    # body). The node inpaints the organ a prompt names: its healthy tissue, held-out organs' included, then reaches the
    # head as it does at inference (a kidney prompt's box over a healthy kidney, cortex and medulla), and the head learns
    # that organ's residual floor from healthy tissue only; no held-out lesion is drawn.
    heads_organ_crops: float = 0.0
    # Share of each UNet batch taught to heal: the noised input is a crop holding a synthetic anomaly (foundry.anomalies,
    # in an organ whose lesions are seen) and the velocity's target is the same crop without it, so a repainted region
    # comes back as healthy tissue. 0 keeps the UNet a plain generative model of healthy anatomy, as the method's frozen
    # backbone is; the pairs come from a bank of unet_heal_bank crops encoded once.
    unet_heal_fraction: float = 0.0
    unet_heal_bank: int = 256
    # Loss weight of the latent voxels an anomaly touches in the healing share (1 = the plain mean; a small anomaly is a
    # few of a crop's 4096 latent voxels, so unweighted its lesson drowns in the crop's denoising).
    unet_heal_weight: float = 1.0
    # A folder of healthy twins (the generator's same seed, region and grid without the lesion; tools/healing_oracle.py
    # makes them): each seen-lesion case with a twin of its name adds unet_heal_twin_crops pairs to the healing bank, a
    # crop around its real lesion and the same crop of its twin, so the UNet learns to heal the seen lesions themselves
    # rather than synthetic anomalies only. None: synthetic pairs only.
    unet_heal_twins: str | None = None
    unet_heal_twin_crops: int = 4
    # UNet stage: centre this share of the plain (healthy) crops on a latent voxel of one of unet_focus_organs. The node
    # inpaints the whole organ a prompt names, so the prior must regenerate that organ's own pattern (the kidney's cortex
    # and medulla); healthy tissue only, so a held-out organ may be named without drawing one of its lesions.
    unet_focus_organs: list[str] = field(default_factory=list)
    unet_focus_fraction: float = 0.0
    # VAE stage: train the decoder only (the encoder, hence the latent space the UNet and the AOVA were trained on, stays
    # as initialised), and centre this share of its crops on a voxel of one of vae_focus_organs (a finer decoder where
    # the residuals must see small lesions).
    vae_decoder_only: bool = False
    vae_focus_organs: list[str] = field(default_factory=list)
    vae_focus_fraction: float = 0.0
    # The heads stage trains on a bank of crops whose pseudo-healthy residuals are computed once, the way the node makes
    # them: the candidate region to inpaint is where the frozen AOVA's probability for the crop's prompt exceeds this
    # (the package's anomaly threshold), plus the crop's lesion (so it is always inpainted, as it is on whole scans
    # where the candidate box covers most of the abdomen) or, in a negative crop, a random false candidate.
    heads_bank: int = 512
    heads_candidate_threshold: float = 0.1
    # The refinement head adds gain·logit(AOVA) to its own output (RefinementHead.anomaly_gain, 1 at construction). At 1,
    # a lesion the AOVA scores 0.001 needs +9 from the residuals to pass 0.9, so the head mostly follows the AOVA; 0
    # starts it from the residuals alone, with the AOVA map one input among others. Not applied to a resumed run.
    heads_anomaly_gain: float | None = None
    # False: the refinement head does not read the AOVA map (RefinementConfig.anomaly_input), only the residuals.
    heads_anomaly_input: bool = True
    # False: the refinement head never sees the feature residual (RefinementConfig.feature_input): method (d)'s head.
    heads_feature_input: bool = True
    # False: the refinement head never sees the pixel-level residuals (RefinementConfig.pixel_input): the leave-one-out
    # counterpart of method (d)'s head.
    heads_pixel_input: bool = True
    learning_rate: dict[str, float] = field(default_factory=lambda: {"vae": 2e-4, "unet": 2e-4, "aova": 1e-3, "heads": 3e-4})
    kl_weight: float = 1e-6
    # The AOVA stage trains on a bank of crops whose frozen encoder features are computed once (pooled to the latent
    # grid): half near a seen lesion, half anywhere in the body. Positive latent voxels weigh this much more in the BCE
    # (a lesion is a few percent of a crop's latent voxels).
    aova_bank: int = 1024
    aova_pos_weight: float = 4.0
    # Mirror each bank crop left-right and/or front-back (p = 0.5 each) before encoding: more distinct crops per lesion.
    aova_flip: bool = False
    # Where each organ is, as a soft target of every prompt naming it (0 = off, the 0.2.0 recipe): the prompt's logit is
    # fitted to this value on its organ's latent voxels and to 1 on the lesions it names. The organs are those of every
    # lesion in the data, held-out ones included, each under its generic prompts ("kidney mass"), but the targets come
    # from healthy anatomy and seen lesions only: no held-out lesion reaches the AOVA. So a prompt naming an organ whose
    # lesions were never seen still marks that organ as the candidate region, and the pseudo-healthy residuals decide.
    aova_organ_prior: float = 0.0
    # The text projection W starts as the identity (MiniLM's own geometry). Trained on a dozen seen prompts it would bend
    # that geometry towards them, and prompts never seen (another organ) would land anywhere; frozen, the voxel
    # embeddings learn to meet the sentence embeddings where they are.
    aova_train_text_projection: bool = False
    # The AOVA answers two questions and multiplies them (AovaConfig.factorised): "abnormal, of the named kind" (taught
    # on seen lesions whatever organ the prompt names) and "inside the named organ" (taught on organ masks, lesions
    # filled in, for every organ a prompt names, held-out ones included). The product is also fitted to the usual
    # targets. With it the prompt list is that of the organ prior (every lesion organ's generic prompts).
    aova_factorised: bool = False
    # Each organ of an AOVA bank crop (its lesions with it) is shifted by its own HU offset drawn from ±this (0 = off):
    # a lesion keeps its contrast to its organ, while an organ's absolute intensity stops telling what it is. Taught on
    # three organs' lesions at their usual intensities, the AOVA otherwise learns "a blob of liver-lesion HU", which a
    # kidney lesion (in a brighter organ) is not.
    aova_intensity_jitter_hu: float = 0.0
    # This share of the AOVA bank's body crops is centred on a voxel of one organ a prompt names (drawn evenly over those
    # organs, held-out ones included) rather than anywhere in the body: an organ factor or prior sees every organ often.
    aova_organ_crops: float = 0.0
    unseen_organs: list[str] = field(default_factory=lambda: ["kidney"])
    unseen_kinds: list[str] = field(default_factory=lambda: ["cystic"])
    # HU window mapped to [0, 1] (the package's intensity entry). MAISI's is −1000…1000; a soft-tissue window gives
    # abdominal lesions (20–60 HU from their organ) 4× the contrast in the networks' input.
    intensity_window: list[float] = field(default_factory=lambda: [-1000.0, 1000.0])
    inpainting_steps: int = 10
    inpainting_strength: float = 0.6
    # Pseudo-healthy samples averaged into H (the package's inpainting.samples; foundry.pipeline.pseudo_healthy).
    inpainting_samples: int = 1
    dilation_latent_voxels: int = 1
    latent_margin_voxels: int = 2
    checkpoint_every: int = 50
    # Start from the networks of an earlier run's checkpoint (e.g. a VAE and UNet trained at another spacing).
    init_from: str | None = None
    init_models: list[str] = field(default_factory=lambda: ["autoencoder", "unet"])
    # The UNet from this checkpoint instead of init_from's (e.g. a healing UNet trained on init_from's frozen VAE, joined
    # to another run's AOVA and heads); both must carry the same latent scale factor.
    init_unet_from: str | None = None
    # Resample every case to this isotropic spacing (mm) first, as the node resamples a study into the package's model
    # space (None: the cases' own spacing, which must then be the model's).
    model_spacing: float | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class TrainingState:
    config: dict[str, object]
    stage_steps: dict[str, int]
    losses: dict[str, list[list[float]]]
    scale_factor: float | None
    models: dict[str, dict[str, torch.Tensor]]
    optimizers: dict[str, dict[str, object]]


def _generator(seed: int, stage: str, step: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed * 1_000_003 + STAGES.index(stage) * 10_000_019 + step)


def _rng(seed: int, stage: str, step: int) -> np.random.Generator:
    return np.random.default_rng([seed, STAGES.index(stage), step])


def _start_around(centre: int, n: int, size: int, rng: np.random.Generator) -> int:
    """Start of a `size` crop along an axis of `n` that holds `centre` at a random offset of up to a third of the crop
    from its middle (see _random_crop), kept inside the axis."""
    return int(np.clip(centre - size // 2 + rng.integers(-size // 3, size // 3 + 1), 0, n - size))


def _random_crop(arrays: list[np.ndarray], size: int, rng: np.random.Generator, centre: np.ndarray | None = None) -> list[np.ndarray]:
    """Same crop of every array; pads first when an axis is shorter than `size`.

    With a `centre`, the crop holds it at a random offset of up to a third of the crop from the middle: a network
    trained on crops whose lesion always sits in the middle learns where the middle is (zero padding tells it) rather
    than what a lesion looks like, and at inference lights up the middle of every tile."""
    shape = arrays[0].shape
    target = tuple(max(n, size) for n in shape)
    arrays = [fit_to_multiple(a, target, a.min() if a.dtype.kind == "f" else 0) for a in arrays]  # type: ignore[arg-type]
    starts = []
    for axis, n in enumerate(target):
        if centre is not None:
            lo = _start_around(int(centre[axis]) + (target[axis] - shape[axis]) // 2, n, size, rng)
        else:
            lo = int(rng.integers(0, n - size + 1))
        starts.append(lo)
    sl = tuple(slice(s, s + size) for s in starts)
    return [a[sl] for a in arrays]


def stack_conditioning(items: list[Conditioning]) -> Conditioning:
    """One batch's conditioning from its items' (each a batch of one or more), in order."""
    return Conditioning(*(torch.cat([getattr(c, f.name) for c in items]) for f in fields(Conditioning)))


def conditioning_for(case: PhantomCase) -> Conditioning:
    top, bottom = region_one_hot(case.body_region)
    return Conditioning(
        spacing=torch.tensor([[s * 100.0 for s in case.spacing_xyz]], dtype=torch.float32),
        top_region_index=torch.from_numpy(top)[None],
        bottom_region_index=torch.from_numpy(bottom)[None],
        class_label=torch.tensor([MODALITY_CLASS.get(case.modality, 0)], dtype=torch.int64),
    )


def unet_error(v: torch.Tensor, x_t: torch.Tensor, z_in: torch.Tensor, z0: torch.Tensor, noise: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
    """The UNet's error per latent voxel, its loss before weighting. A plain item (input = target, a healthy latent):
    MAISI v2's velocity target x0 − ε. A healing item (x_t noised from an anomalous latent, z0 its healthy self): the
    x0 that one Euler step to t = 0 implies, x_t + s·v (s = t / T), against z0, so the flow from x_t ends at healthy
    tissue. The velocity z0 − ε would be inconsistent with x_t = (1 − s)·z_in + s·ε: integrated it moves only the noise's
    share s of the way, which the prior does anyway, and leaves the anomaly's share 1 − s (runs/h15, hw15 trained so:
    they did not heal). Measured in x0, not in velocity, since that velocity grows as (1 − s)/s near s = 0."""
    s = s.reshape(-1, *([1] * (v.dim() - 1)))
    healing = (z_in != z0).flatten(1).any(dim=1).reshape(s.shape)
    return torch.where(healing, x_t + s * v - z0, v - (z0 - noise))


def unet_training_error(unet: torch.nn.Module, scheduler: RectifiedFlowScheduler, z_in: torch.Tensor, z0: torch.Tensor,
                        cond: Conditioning, generator: torch.Generator) -> torch.Tensor:
    """The UNet stage's error per latent voxel for one batch (before its weighting and mean): noise and timesteps
    drawn from the CPU `generator` (noise first, so a seed gives the same batch on every device), z_in noised, the
    UNet's velocity scored by unet_error. train.py, tools/gpu_unet_experiment.py and tools/gpu_stage_timing.py share it."""
    noise = torch.randn(z0.shape, generator=generator).to(z0.device)
    t = scheduler.sample_timesteps(z0.shape[0], int(z0[0, 0].numel()), generator=generator).to(z0.device)
    x_t = scheduler.add_noise(z_in, noise, t)
    v = unet(x_t, t, **cond.as_kwargs())
    return unet_error(v, x_t, z_in, z0, noise, t / scheduler.config.num_train_timesteps)


def read_twin(folder: Path, case: PhantomCase, model_spacing: float | None) -> PhantomCase | None:
    """The healthy twin of `case` in `folder` (the case's name and generator seed; tools/healing_oracle.py makes them),
    resampled as the case was; None when there is none or it is another data folder's case of the same name. A twin
    whose grid or anatomy outside the lesion differs from the case's is an error, not a pair."""
    twin = read_named_case(folder, case.name, case.seed)
    if twin is None or twin.seed != case.seed:
        return None
    if model_spacing:
        twin = resample_case(twin, model_spacing)
    lesion = case.lesion_mask() > 0
    if twin.image.shape != case.image.shape or np.mean(twin.labels[~lesion] != case.labels[~lesion]) > 0.01:
        raise ValueError(f"{folder / case.name} is not the healthy twin of case {case.name!r}")
    return twin


def twin_crops(case: PhantomCase, twin: PhantomCase, size: int, count: int, seed: list[int]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`count` crops of `size` voxels around the case's lesions (at a random offset, as every lesion-centred crop; crop
    k drawn from the stream seed + [k]), each with the same crop of its twin and of the lesion mask (HU, HU, 0/1)."""
    lesion = case.lesion_mask() > 0
    centre = np.argwhere(lesion).mean(axis=0).astype(int)
    return [tuple(_random_crop([case.image, twin.image, lesion.astype(np.float32)], size, np.random.default_rng([*seed, k]), centre))  # type: ignore[misc]
            for k in range(count)]


@torch.no_grad()
def encode_heal_pair(autoencoder: torch.nn.Module, sick: np.ndarray, clean: np.ndarray, mask: np.ndarray, block: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A healing pair on the latent grid: the windowed anomalous crop and its healthy self encoded (unscaled latents,
    in `block`-sized pieces as the node encodes), and the anomaly mask max-pooled to the latent grid."""
    x = torch.from_numpy(np.ascontiguousarray(np.stack([sick, clean])))[:, None]
    encoder = autoencoder.eval()
    z = blockwise(lambda piece: encoder.encode(piece)[0], x, block)
    factor = x.shape[-1] // z.shape[-1]
    pooled = F.max_pool3d(torch.from_numpy(np.ascontiguousarray(mask, dtype=np.float32))[None, None], factor)
    return z[:1], z[1:], pooled


def encode_in_blocks(autoencoder: torch.nn.Module, windowed: np.ndarray, block: int) -> torch.Tensor:
    """The unscaled latent of a windowed volume padded (0) to a multiple of `block` and encoded in block-sized pieces,
    as the node encodes (foundry.pipeline.blockwise): the UNet learns the latents it will inpaint, not those of
    whole-volume encoding, which the encoder never saw in training."""
    size = tuple(math.ceil(n / block) * block for n in windowed.shape)
    x = torch.from_numpy(fit_to_multiple(windowed, size, 0.0))[None, None]  # type: ignore[arg-type]
    with torch.no_grad():
        return blockwise(lambda piece: autoencoder.encode(piece)[0], x, block)


def _without_targets(config: dict[str, object]) -> dict[str, object]:
    """The config less its step targets, a field added since it was saved taking its default (an older run resumes)."""
    return {k: v for k, v in {**TrainingConfig().to_dict(), **config}.items() if k != "steps"}


def _dice_per_item(logits: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Soft Dice loss per (crop, prompt) map that holds a lesion, averaged: a small pancreas lesion counts as much as a
    large liver one (a Dice over the whole batch is dominated by the largest lesion). Zero when no map holds one."""
    p = torch.sigmoid(logits) * weight
    inter, total, size = (p * target).flatten(2).sum(-1), (p + target).flatten(2).sum(-1), target.flatten(2).sum(-1)
    present = size > 0
    if not present.any():
        return logits.sum() * 0
    return (1 - (2 * inter + 1) / (total + 1))[present].mean()


def _dice_loss(logits: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
    p = torch.sigmoid(logits) if weight is None else torch.sigmoid(logits) * weight
    inter = (p * target).sum()
    return 1 - (2 * inter + 1) / (p.sum() + target.sum() + 1)


class Trainer:
    def __init__(self, cases: Iterable[PhantomCase], run_dir: Path, cfg: TrainingConfig, prompt_file: Path | None) -> None:
        self.cfg = cfg
        self.run_dir = run_dir
        self.model_cfg: ReferenceModelConfig = model_config(cfg.preset, cfg.to_dict())
        if cfg.crop % self.model_cfg.image_multiple:
            raise ValueError(f"--crop {cfg.crop} must be a multiple of {self.model_cfg.image_multiple}")
        if self.heads_crop % cfg.crop:
            raise ValueError(f"--heads-crop {self.heads_crop} must be a multiple of --crop {cfg.crop}")
        # One case at a time from an iterator (train.py passes phantoms.iter_directory's): at 1.5 mm the 376 training
        # cases take 19 GB, and their 3 mm originals held beside them another 3 GB, over a 24 GiB machine.
        self.cases = [resample_case(c, cfg.model_spacing) for c in cases] if cfg.model_spacing else list(cases)
        self.models: ReferenceModels = build_models(self.model_cfg, cfg.seed)
        self.scheduler = RectifiedFlowScheduler(self.model_cfg.scheduler)
        self.seen_prompts = self._seen_prompts()
        self.prompt_organs = self._prompt_organs()
        self.aova_prompts = sorted(self.prompt_organs) if cfg.aova_organ_prior > 0 or cfg.aova_factorised else self.seen_prompts
        texts = [t for p in self.aova_prompts for t in templated(p)]
        self.embeddings = (
            PromptEmbeddings.load(prompt_file) if prompt_file is not None
            else PromptEmbeddings.placeholder(texts, self.model_cfg.aova.embedding_dim)
        )
        self.optimizers = {
            "vae": torch.optim.AdamW(self._vae_parameters(), lr=cfg.learning_rate["vae"]),
            "unet": torch.optim.AdamW(self.models.unet.parameters(), lr=cfg.learning_rate["unet"]),
            "aova": torch.optim.AdamW(
                [p for n, p in self.models.aova.named_parameters() if cfg.aova_train_text_projection or not n.startswith(("text_projection.", "organ_text_projection."))],
                lr=cfg.learning_rate["aova"], weight_decay=1e-4,
            ),
            "heads": torch.optim.AdamW(self.models.refinement.parameters(), lr=cfg.learning_rate["heads"], weight_decay=1e-5),
        }
        self.state = TrainingState(cfg.to_dict(), {s: 0 for s in STAGES}, {s: [] for s in STAGES}, None, {}, {})
        self._latents: list[tuple[torch.Tensor, PhantomCase]] | None = None
        self._bank: tuple[list[torch.Tensor], torch.Tensor, torch.Tensor] | None = None
        self._heads: dict[str, torch.Tensor] | None = None
        self._heal: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, Conditioning]] | None = None
        self._focus_voxels: dict[tuple[int, tuple[str, ...]], np.ndarray] = {}  # _focus_centre's, per (case, organs)
        if cfg.init_from is not None:
            self._initialise(Path(cfg.init_from))
        if cfg.heads_anomaly_gain is not None and cfg.heads_anomaly_input and "refinement" not in cfg.init_models:
            with torch.no_grad():
                self.models.refinement.anomaly_gain.fill_(cfg.heads_anomaly_gain)
        self._resume()

    # ---- data selection ------------------------------------------------------------------------------------------

    @property
    def heads_crop(self) -> int:
        return self.cfg.heads_crop or self.cfg.crop

    @property
    def unet_crop(self) -> int:
        return self.cfg.unet_crop or self.cfg.crop // self.model_cfg.autoencoder.downsample_factor

    def _is_seen(self, organ: str, kind: str) -> bool:
        return organ not in self.cfg.unseen_organs and kind not in self.cfg.unseen_kinds

    def _seen_prompts(self) -> list[str]:
        found = {
            p for c in self.cases for l in c.present_lesions() if self._is_seen(l.organ, l.kind)
            for p in prompts_for_lesion(l.organ, l.kind)
        }
        return sorted(found)

    def _prompt_organs(self) -> dict[str, str]:
        """Each prompt the AOVA can be taught, with the organ it names: the seen prompts and, for the organ prior, every
        lesion organ's generic prompts (prompts.GENERIC_FINDINGS)."""
        organs = {l.organ for c in self.cases for l in c.lesions}
        named = {prompt_for(o, g): o for o in organs for g in GENERIC_FINDINGS}
        for c in self.cases:
            for l in c.present_lesions():
                if self._is_seen(l.organ, l.kind):
                    named.update({p: l.organ for p in prompts_for_lesion(l.organ, l.kind)})
        return named

    def healthy_cases(self) -> list[PhantomCase]:
        healthy = [c for c in self.cases if c.is_healthy]
        if not healthy:
            raise ValueError("the unet stage needs healthy cases (no lesion labels present)")
        return healthy

    def seen_lesion_cases(self) -> list[PhantomCase]:
        chosen = [
            c for c in self.cases
            if c.present_lesions() and all(self._is_seen(l.organ, l.kind) for l in c.present_lesions())
        ]
        if not chosen:
            raise ValueError("the heads stage needs cases with lesions in seen organs and kinds")
        return chosen

    # ---- checkpointing -------------------------------------------------------------------------------------------

    def _resume(self) -> None:
        path = self.run_dir / CHECKPOINT
        if not path.exists():
            return
        saved = torch.load(path)
        # Step targets may change between runs (stop a stage earlier or train it longer); anything else that shapes the
        # random draws or the networks may not.
        if _without_targets(saved["config"]) != _without_targets(self.cfg.to_dict()):
            raise ValueError(f"{path} was written with another training config; use a new --run directory")
        saved["config"] = self.cfg.to_dict()
        self.state = TrainingState(**saved)
        for name, module in self.models.modules().items():
            module.load_state_dict(self.state.models[name])
        for name, opt in self.optimizers.items():
            if name in self.state.optimizers:
                opt.load_state_dict(self.state.optimizers[name])  # type: ignore[arg-type]

    def _initialise(self, path: Path) -> None:
        saved = load_package_weights(path)[1] if path.is_dir() else torch.load(path)
        modules = self.models.modules()
        for name in self.cfg.init_models:
            if name not in modules:
                raise ValueError(f"--init-models: unknown network {name!r} (known: {', '.join(sorted(modules))})")
            missing, unexpected = modules[name].load_state_dict(saved["models"][name], strict=False)
            # A factorised AOVA may start from a one-factor one: its organ factor is new, everything else is loaded.
            allowed = name == "aova" and self.cfg.aova_factorised
            if unexpected or (missing and not (allowed and all(k.startswith("organ_") for k in missing))):
                raise ValueError(f"--init-from {path}: network {name!r} does not match (missing {missing}, unexpected {unexpected})")
        same_window = saved.get("config", saved.get("training_config", {})).get("intensity_window", [-1000.0, 1000.0]) == self.cfg.intensity_window
        encoder_frozen = self.cfg.steps["vae"] == 0 or self.cfg.vae_decoder_only
        if {"autoencoder", "unet"} <= set(self.cfg.init_models) and encoder_frozen and same_window:
            # The UNet was trained on latents scaled by this factor; keep the pair together while the encoder stays
            # frozen (a decoder-only VAE stage leaves the latents as they were). An encoder trained further (or on
            # another window) gets its factor recomputed from its own latents.
            self.state.scale_factor = saved.get("scale_factor")
        if self.cfg.init_unet_from is not None:
            unet = torch.load(self.cfg.init_unet_from)
            if "unet" not in self.cfg.init_models or unet.get("scale_factor") != saved.get("scale_factor"):
                raise ValueError(f"--init-unet-from {self.cfg.init_unet_from}: needs unet in --init-models and the latent scale "
                                 f"factor of --init-from ({unet.get('scale_factor')} vs {saved.get('scale_factor')})")
            self.models.unet.load_state_dict(unet["models"]["unet"])

    def save_checkpoint(self) -> Path:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.state.models = {n: m.state_dict() for n, m in self.models.modules().items()}
        self.state.optimizers = {n: o.state_dict() for n, o in self.optimizers.items()}
        tmp = self.run_dir / (CHECKPOINT + ".tmp")
        torch.save(asdict(self.state), tmp)
        tmp.replace(self.run_dir / CHECKPOINT)  # atomic: a crash never leaves a half-written checkpoint
        return self.run_dir / CHECKPOINT

    def window(self, hu: np.ndarray) -> np.ndarray:
        a_min, a_max = self.cfg.intensity_window
        return window_intensity(hu, a_min, a_max)

    def save_final(self) -> Path:
        healthy = self.healthy_cases()
        spacing = np.median(np.array([c.spacing_xyz for c in self.cases]), axis=0).tolist()
        regions = sorted({r for c in self.cases for r in c.body_region})
        final = {
            "preset": self.cfg.preset,
            "model_config": self.model_cfg.to_dict(),
            "models": {n: m.state_dict() for n, m in self.models.modules().items()},
            "scale_factor": self.state.scale_factor,
            "seed": self.cfg.seed,
            "training_config": self.cfg.to_dict(),
            "stage_steps": dict(self.state.stage_steps),
            "spacing_mm": spacing,
            "body_regions": regions,
            "modality": healthy[0].modality,
            "prompts": self.seen_prompts,
            "prompt_embeddings": {
                "model": self.embeddings.model,
                "dim": self.embeddings.dim,
                "embeddings": {t: self.embeddings.vectors[t].tolist() for p in self.seen_prompts for t in templated(p)},
            },
        }
        path = self.run_dir / FINAL
        torch.save(final, path)
        return path

    # ---- stages --------------------------------------------------------------------------------------------------

    def _vae_parameters(self) -> list[torch.nn.Parameter]:
        ae = self.models.autoencoder
        if not self.cfg.vae_decoder_only:
            return list(ae.parameters())
        return [*ae.decoder.parameters(), *ae.post_quant_conv.parameters()]

    def _focus_centre(self, case: PhantomCase, organs: list[str], fraction: float, rng: np.random.Generator) -> np.ndarray | None:
        """A voxel of one of `organs` (case grid) for `fraction` of the draws; None (anywhere) otherwise. Draws nothing
        from `rng` when no organ is named, so a run without focus keeps its stream. The organs' voxels are found once
        per case (flat indices, in argwhere's order), not at every step."""
        if not organs or rng.random() >= fraction:
            return None
        key = (id(case), tuple(organs))
        inside = self._focus_voxels.get(key)
        if inside is None:
            inside = self._focus_voxels[key] = np.flatnonzero(np.isin(case.labels, case.organ_ids(*organs))).astype(np.int32)
        return np.array(np.unravel_index(inside[int(rng.integers(len(inside)))], case.labels.shape)) if len(inside) else None

    def _vae_crop_centre(self, case: PhantomCase, rng: np.random.Generator) -> np.ndarray | None:
        """A voxel of one of the VAE focus organs for vae_focus_fraction of the crops; None (anywhere) otherwise."""
        return self._focus_centre(case, self.cfg.vae_focus_organs, self.cfg.vae_focus_fraction, rng)

    def _unet_crop_centre(self, case: PhantomCase, latent: torch.Tensor, rng: np.random.Generator) -> np.ndarray | None:
        """A latent voxel of one of the UNet focus organs for unet_focus_fraction of the plain crops, on the grid of
        `latent` (the case padded about its centre to the VAE's blocks, as encode_in_blocks pads it); None otherwise."""
        voxel = self._focus_centre(case, self.cfg.unet_focus_organs, self.cfg.unet_focus_fraction, rng)
        if voxel is None:
            return None
        factor = self.model_cfg.autoencoder.downsample_factor
        padded = [n * factor for n in latent.shape[2:]]
        return np.array([(v + (p - n) // 2) // factor for v, p, n in zip(voxel, padded, case.labels.shape)])

    def _vae_step(self, step: int) -> list[float]:
        rng, gen = _rng(self.cfg.seed, "vae", step), _generator(self.cfg.seed, "vae", step)
        crops = []
        for _ in range(self.cfg.batch["vae"]):
            case = self.cases[int(rng.integers(len(self.cases)))]
            (crop,) = _random_crop([case.image], self.cfg.crop, rng, self._vae_crop_centre(case, rng))
            crops.append(self.window(crop))
        x = torch.from_numpy(np.stack(crops))[:, None]
        ae = self.models.autoencoder.train()
        if self.cfg.vae_decoder_only:
            # The same draw as ae(x): z = μ + σ·ε, with no gradient through the frozen encoder.
            with torch.no_grad():
                mu, sigma = ae.encode(x)
            recon = ae.decode(mu + sigma * torch.randn(mu.shape, generator=gen, dtype=mu.dtype))
        else:
            recon, mu, sigma = ae(x, generator=gen)
        l1 = (recon - x).abs().mean()
        kl = 0.5 * (mu.pow(2) + sigma.pow(2) - torch.log(sigma.pow(2) + 1e-12) - 1).mean()
        loss = l1 + self.cfg.kl_weight * kl
        self._apply("vae", loss)
        return [float(loss), float(l1), float(kl)]

    @torch.no_grad()
    def _healthy_latents(self) -> list[tuple[torch.Tensor, PhantomCase]]:
        if self._latents is None:
            ae = self.models.autoencoder.eval()
            out = [(encode_in_blocks(ae, self.window(case.image), self.cfg.crop), case) for case in self.healthy_cases()]
            self._latents = out
            if self.state.scale_factor is None:
                std = torch.cat([z.flatten() for z, _ in out]).std()
                self.state.scale_factor = float(1.0 / std)  # MAISI: scale_factor = 1/std(z) (§5.6)
        return self._latents

    def _scale_factor(self) -> float:
        """The latent scale the UNet works in: kept from --init-from with a frozen encoder, else 1/std of the healthy
        latents (computed once, never a silent 1.0)."""
        if self.state.scale_factor is None:
            self._healthy_latents()
        assert self.state.scale_factor is not None
        return float(self.state.scale_factor)

    @torch.no_grad()
    def _heal_bank(self) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, Conditioning]]:
        """(anomalous latent, latent of the same crop without the anomaly, the anomaly's mask on the latent grid,
        conditioning), latents unscaled, each a crop of the UNet's size encoded in crop-sized blocks: unet_heal_bank
        crops around a synthetic anomaly in a healthy case's seen-lesion organ, then the twin pairs (_twin_pairs)."""
        if self._heal is None:
            factor = self.model_cfg.autoencoder.downsample_factor
            size = self.unet_crop * factor
            scale = 3.0 / self.cfg.model_spacing if self.cfg.model_spacing else 1.0
            healthy = self.healthy_cases()
            bank = []
            for i in range(self.cfg.unet_heal_bank):
                rng = np.random.default_rng([self.cfg.seed, len(STAGES), i])  # a stream no stage's steps draw from
                case = healthy[int(rng.integers(len(healthy)))]
                drawn = self._anomaly_crop(case, rng, size, scale)
                if drawn is None:
                    continue
                _, (sick, _, mask, clean) = drawn
                bank.append(self._heal_pair(sick, clean, mask, case))
            bank += self._twin_pairs(size)
            if not bank:
                raise ValueError("unet_heal_fraction needs healthy cases holding a seen-lesion organ, or --unet-heal-twins")
            self._heal = bank
        return self._heal

    def _heal_pair(self, sick: np.ndarray, clean: np.ndarray, mask: np.ndarray, case: PhantomCase) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, Conditioning]:
        z_sick, z_clean, pooled = encode_heal_pair(self.models.autoencoder, self.window(sick), self.window(clean), mask, self.cfg.crop)
        return z_sick, z_clean, pooled, conditioning_for(case)

    def _twin_pairs(self, size: int) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, Conditioning]]:
        """unet_heal_twin_crops pairs per seen-lesion case whose healthy twin is in unet_heal_twins: a crop around its
        lesions (at a random offset, as every lesion-centred crop) and the same crop of the twin. The twin has the case's
        name and generator seed (None for both outside the generator's layout); it is read one at a time and resampled as
        the case was, and one whose anatomy differs from the case's outside the lesion is refused."""
        if self.cfg.unet_heal_twins is None:
            return []
        folder = Path(self.cfg.unet_heal_twins)
        pairs = []
        for index, case in enumerate(self.seen_lesion_cases()):
            twin = read_twin(folder, case, self.cfg.model_spacing)
            if twin is None:
                continue
            for sick, clean, mask in twin_crops(case, twin, size, self.cfg.unet_heal_twin_crops, [self.cfg.seed, len(STAGES) + 1, index]):
                pairs.append(self._heal_pair(sick, clean, mask, case))
        if not pairs:
            raise ValueError(f"--unet-heal-twins {folder}: no seen-lesion case has a twin there")
        return pairs

    def _unet_batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, Conditioning, torch.Generator]:
        """The step's scaled UNet inputs before noising, their clean targets (the same latents, except a healing share's
        healthy counterparts), the loss weight per latent voxel, their conditioning, and the generator that draws the
        noise and times."""
        rng, gen = _rng(self.cfg.seed, "unet", step), _generator(self.cfg.seed, "unet", step)
        latents = self._healthy_latents()
        size = self.unet_crop
        heal = round(self.cfg.unet_heal_fraction * self.cfg.batch["unet"])
        bank = self._heal_bank() if heal else []
        inputs, targets, weights, conds = [], [], [], []
        for i in range(self.cfg.batch["unet"]):
            if i < heal:
                sick, clean, mask, cond = bank[int(rng.integers(len(bank)))]
                inputs.append(sick)
                targets.append(clean)
                weights.append(1 + (self.cfg.unet_heal_weight - 1) * mask)
                conds.append(cond)
                continue
            z, case = latents[int(rng.integers(len(latents)))]
            inputs.append(self._crop_latent(z, size, rng, self._unet_crop_centre(case, z, rng)))
            targets.append(inputs[-1])
            weights.append(torch.ones((1, 1, size, size, size)))
            conds.append(conditioning_for(case))
        scale = self._scale_factor()
        return torch.cat(inputs) * scale, torch.cat(targets) * scale, torch.cat(weights), stack_conditioning(conds), gen

    def _unet_step(self, step: int) -> list[float]:
        z_in, z0, weight, cond, gen = self._unet_batch(step)
        loss = (unet_training_error(self.models.unet.train(), self.scheduler, z_in, z0, cond, gen).abs() * weight).mean()
        self._apply("unet", loss)
        return [float(loss)]

    @staticmethod
    def _crop_latent(z: torch.Tensor, size: int, rng: np.random.Generator, centre: np.ndarray | None = None) -> torch.Tensor:
        """A size³ crop of a [1, c, d, h, w] latent: anywhere, or holding `centre` at a random offset of up to a third
        of the crop from its middle (as _random_crop)."""
        if centre is None:
            starts = [int(rng.integers(0, n - size + 1)) for n in z.shape[2:]]
        else:
            starts = [_start_around(int(c), n, size, rng) for c, n in zip(centre, z.shape[2:])]
        return z[:, :, starts[0]:starts[0] + size, starts[1]:starts[1] + size, starts[2]:starts[2] + size]

    def _heads_inputs(self, case: PhantomCase, rng: np.random.Generator, negative: bool,
                      centre_organ: str | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """A crop, its lesion mask, its labels and the candidate region to inpaint.

        A positive crop is centred on the case's lesion and its candidate region is the lesion. A negative crop is
        centred on a random body voxel; its candidate region is a random sphere (a false-positive candidate as the
        anomaly map could give it) plus any lesion the crop holds, so the refinement head learns that inpainting
        healthy tissue leaves no residual."""
        lesion_ids = [l.label for l in case.lesions]
        if negative:
            organ = np.argwhere(np.isin(case.labels, case.organ_ids(centre_organ))) if centre_organ else np.zeros((0, 3), int)
            body = organ if len(organ) else np.argwhere(case.labels > 0)
            centre = body[int(rng.integers(len(body)))]
        else:
            centre = np.argwhere(np.isin(case.labels, lesion_ids)).mean(axis=0).astype(int)
        image, labels = _random_crop([case.image, case.labels], self.heads_crop, rng, centre)
        x = torch.from_numpy(np.ascontiguousarray(self.window(image)))[None, None]
        lesion_np = np.isin(labels, lesion_ids).astype(np.float32)
        region = lesion_np.copy()
        if negative:
            size = self.heads_crop
            c = rng.integers(size // 4, 3 * size // 4 + 1, size=3)
            r = float(rng.uniform(self.cfg.crop / 16, self.cfg.crop / 6))  # 2–5 voxels at any heads crop
            grid = np.indices(labels.shape)
            region = np.maximum(region, (sum((g - ci) ** 2 for g, ci in zip(grid, c)) <= r * r).astype(np.float32))
        lesion = torch.from_numpy(lesion_np)[None, None]
        return x, lesion, torch.from_numpy(np.ascontiguousarray(labels)), torch.from_numpy(region)[None, None]

    def synthetic_organs(self) -> list[str]:
        """Organs that may receive synthetic anomalies: the configured ones, else those of the seen lesions (then never
        a held-out organ)."""
        if self.cfg.heads_synthetic_organs:
            return sorted(set(self.cfg.heads_synthetic_organs))
        return sorted({l.organ for c in self.seen_lesion_cases() for l in c.present_lesions()} - set(self.cfg.unseen_organs))

    def _anomaly_crop(self, case: PhantomCase, rng: np.random.Generator, size: int, scale: float = 1.0) -> tuple[str, list[np.ndarray]] | None:
        """A synthetic anomaly (foundry.anomalies, `scale` as there) in one of `case`'s synthetic_organs and a crop of
        `size` around it: the organ and [image with the anomaly, labels, anomaly mask, image without it]; None when the
        case has none of those organs."""
        # Organ voxels only: a real lesion keeps its own label, and an organ the phantom lists may have no voxels.
        masks = {o: np.isin(case.labels, case.organ_ids(o)) for o in self.synthetic_organs()}
        organs = [o for o, m in masks.items() if m.any()]
        if not organs:
            return None
        organ = organs[int(rng.integers(len(organs)))]
        image, mask = synthetic_anomaly(case.image, masks[organ], rng, scale)
        centre = np.argwhere(mask > 0).mean(axis=0).astype(int)
        return organ, _random_crop([image, case.labels, mask, case.image], size, rng, centre)

    def _synthetic_inputs(self, case: PhantomCase, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, str, torch.Tensor] | None:
        """A crop around a synthetic anomaly in one of `case`'s seen-lesion organs: image, anomaly mask, candidate
        region (the anomaly and any real lesion in the crop, which stays a target), the organ and the same crop without
        the anomaly; None when the case has none of those organs."""
        drawn = self._anomaly_crop(case, rng, self.heads_crop)
        if drawn is None:
            return None
        organ, (image, labels, mask, clean) = drawn
        lesion_ids = [l.label for l in case.lesions]
        lesion = torch.from_numpy(np.maximum(mask, np.isin(labels, lesion_ids)).astype(np.float32))[None, None]
        x, x_clean = (torch.from_numpy(np.ascontiguousarray(self.window(a)))[None, None] for a in (image, clean))
        return x, lesion, lesion.clone(), organ, x_clean

    def _prompt_targets(self, case: PhantomCase, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Per AOVA prompt, its target on the latent grid (union of the lesions it names, max-pooled: a latent voxel
        touching a lesion is abnormal; with the organ prior, at least the prior on latent voxels mostly inside the
        named organ) and its loss weight ([1, P, ld, lh, lw] each). Factorised, the targets of the abnormality factor
        (the lesions of the named kind in any organ) and of the organ factor (the named organ with its lesions) follow
        on the channel axis, and the abnormality weight after the product's: [1, 3P, …] targets, [1, 2P, …] weights."""
        factor = self.model_cfg.autoencoder.downsample_factor
        latent = torch.zeros(1, 1, *(n // factor for n in labels.shape))
        pooled = {l.label: F.max_pool3d((labels == l.label).to(torch.float32)[None, None], factor, factor) for l in case.lesions}
        prior = self.cfg.aova_organ_prior

        def union(chosen: list[int]) -> torch.Tensor:
            return torch.stack([pooled[i] for i in chosen]).amax(dim=0) if chosen else latent

        def organ(name: str, with_lesions: bool = False) -> torch.Tensor:
            ids = case.organ_with_lesion_ids(name) if with_lesions else case.organ_ids(name)
            inside = np.isin(labels.numpy(), ids).astype(np.float32)
            return (F.avg_pool3d(torch.from_numpy(inside)[None, None], factor, factor) > 0.5).to(torch.float32)

        # Each named organ's latent mask once, however many prompts name it.
        named = {self.prompt_organs[p] for p in self.aova_prompts}
        organs = {o: prior * organ(o) for o in named} if prior > 0 else {}
        per_prompt, per_weight, abnormal, abnormal_weight = [], [], [], []
        for p in self.aova_prompts:
            ids = [l.label for l in case.lesions if p in prompts_for_lesion(l.organ, l.kind)]
            target = union(ids)
            per_prompt.append(torch.maximum(target, organs[self.prompt_organs[p]]) if organs else target)
            # A lesion's voxels teach only the prompts that name it: "liver hyperdense" or "spleen tumor" on a hypodense
            # liver lesion would be 0 targets that fight the 1 of "liver hypodense" (the sentence embeddings differ by a
            # word), with far too few lesions to learn the distinction; such voxels do not count. Normal tissue teaches
            # every prompt "normal".
            per_weight.append(1.0 - union([l.label for l in case.lesions if l.label not in ids]))
            if self.cfg.aova_factorised:
                kind = [l.label for l in case.lesions if p in prompts_for_lesion(self.prompt_organs[p], l.kind)]
                abnormal.append(union(kind))
                abnormal_weight.append(1.0 - union([l.label for l in case.lesions if l.label not in kind]))
        if not self.cfg.aova_factorised:
            return torch.cat(per_prompt, dim=1), torch.cat(per_weight, dim=1)
        masks = {o: organ(o, with_lesions=True) for o in named}
        in_organ = [masks[self.prompt_organs[p]] for p in self.aova_prompts]
        return torch.cat(per_prompt + abnormal + in_organ, dim=1), torch.cat(per_weight + abnormal_weight, dim=1)

    def _aova_bank(self) -> tuple[list[torch.Tensor], torch.Tensor, torch.Tensor]:
        """The AOVA stage's crops: pooled frozen features per level, targets and weights per seen prompt. Drawn from
        fixed seeds, so a resumed run rebuilds the same bank."""
        if self._bank is None:
            ae, aova = self.models.autoencoder.eval(), self.models.aova
            lesion_cases = self.seen_lesion_cases()
            negative_cases = self.healthy_cases() + lesion_cases
            feats: list[list[torch.Tensor]] = []
            targets, weights = [], []
            named_organs = sorted({self.prompt_organs[p] for p in self.aova_prompts})
            for i in range(self.cfg.aova_bank):
                rng = _rng(self.cfg.seed, "aova", 1_000_000_000 + i)
                negative = i % 2 == 1
                pool = negative_cases if negative else lesion_cases
                case = pool[int(rng.integers(len(pool)))]
                centre_organ = None
                if negative and self.cfg.aova_organ_crops > 0 and rng.random() < self.cfg.aova_organ_crops:
                    centre_organ = named_organs[int(rng.integers(len(named_organs)))]
                x, _, labels, _ = self._heads_inputs(case, rng, negative, centre_organ)
                if self.cfg.aova_intensity_jitter_hu > 0:
                    x = self._jitter_organs(x, labels, case, rng)
                if self.cfg.aova_flip:
                    axes = [axis for axis in (1, 2) if rng.random() < 0.5]
                    if axes:
                        x, labels = torch.flip(x, [a + 2 for a in axes]), torch.flip(labels, axes)
                with torch.no_grad():
                    _, _, features = ae.encode_with_features(x)
                    feats.append(aova.pooled(*features))
                t, w = self._prompt_targets(case, labels)
                targets.append(t)
                weights.append(w)
            self._bank = ([torch.cat([f[level] for f in feats]) for level in range(len(feats[0]))],
                          torch.cat(targets), torch.cat(weights))
        return self._bank

    def _jitter_organs(self, x: torch.Tensor, labels: torch.Tensor, case: PhantomCase, rng: np.random.Generator) -> torch.Tensor:
        """`x` (windowed) with each organ and the lesions it holds shifted by one offset from ±aova_intensity_jitter_hu,
        clipped to the window."""
        a_min, a_max = self.cfg.intensity_window
        lab = labels.numpy()
        out = x.clone()
        for name in sorted(set(case.organs.values())):
            inside = torch.from_numpy(np.isin(lab, case.organ_with_lesion_ids(name)))
            offset = float(rng.uniform(-1.0, 1.0)) * self.cfg.aova_intensity_jitter_hu / (a_max - a_min)
            out[0, 0][inside] += offset
        return out.clamp(0.0, 1.0)

    def _aova_step(self, step: int) -> list[float]:
        rng = _rng(self.cfg.seed, "aova", step)
        feats, targets, weights = self._aova_bank()
        idx = torch.from_numpy(rng.integers(0, targets.shape[0], self.cfg.batch["aova"]))
        aova = self.models.aova.train()
        pairs = torch.from_numpy(self.embeddings.pairs(self.aova_prompts))
        pos_weight = torch.tensor(self.cfg.aova_pos_weight)
        abnormal, organ = aova.factor_logits_pooled([f[idx] for f in feats], pairs)
        p = pairs.shape[0]
        batch_targets, batch_weights = targets[idx], weights[idx]
        target, weight = batch_targets[:, :p], batch_weights[:, :p]
        logits = abnormal if organ is None else product_logit(abnormal, organ)
        bce = F.binary_cross_entropy_with_logits(logits, target, weight=weight, pos_weight=pos_weight)
        loss = bce + _dice_per_item(logits, target, weight)
        if organ is not None:
            loss = loss + F.binary_cross_entropy_with_logits(
                abnormal, batch_targets[:, p:2 * p], weight=batch_weights[:, p:], pos_weight=pos_weight)
            loss = loss + F.binary_cross_entropy_with_logits(organ, batch_targets[:, 2 * p:])
        self._apply("aova", loss)
        return [float(loss), float(bce)]

    def _heads_bank(self) -> dict[str, torch.Tensor]:
        """The heads stage's crops with everything the refinement head reads, made once with the frozen networks:
        image, pseudo-healthy image, pixel and feature residuals, the AOVA map of the crop's prompt (upsampled as the
        node does) and the lesion target. Positive crops lie near a seen lesion and are prompted with its name; negative
        ones (heads_negative_fraction of them, spread evenly: 0.5 makes every second crop negative) lie anywhere in the
        body and get a random AOVA prompt (with the organ prior, any lesion organ's generic prompt, so a held-out
        organ's healthy tissue is inpainted too). Drawn from fixed seeds, so a resumed run rebuilds the same bank."""
        if self._heads is None:
            lesion_cases = self.seen_lesion_cases()
            negative_cases = self.healthy_cases() + lesion_cases
            ae, aova, unet = self.models.autoencoder.eval(), self.models.aova.eval(), self.models.unet.eval()
            factor = self.model_cfg.autoencoder.downsample_factor
            items: dict[str, list[torch.Tensor]] = {k: [] for k in ("image", "healthy", "pixel", "feature", "anomaly", "lesion")}
            fraction = self.cfg.heads_negative_fraction
            for i in range(self.cfg.heads_bank):
                rng, gen = _rng(self.cfg.seed, "heads", 1_000_000_000 + i), _generator(self.cfg.seed, "heads", 1_000_000_000 + i)
                negative = math.floor((i + 1) * fraction) > math.floor(i * fraction)
                synthetic = None
                if not negative and self.cfg.heads_synthetic_fraction > 0 and rng.random() < self.cfg.heads_synthetic_fraction:
                    case = negative_cases[int(rng.integers(len(negative_cases)))]
                    synthetic = self._synthetic_inputs(case, rng)
                aova_input = None
                if synthetic is not None:
                    x, lesion, region, organ, clean = synthetic
                    aova_input = clean if self.cfg.heads_synthetic_aova_blind else None
                    prompt = prompt_for(organ, GENERIC_FINDINGS[int(rng.integers(len(GENERIC_FINDINGS)))])
                else:
                    case, x, lesion, _, region, prompt = self._heads_real_crop(negative_cases if negative else lesion_cases, rng, negative)
                with torch.no_grad():
                    encoded = encode_blockwise(ae, x, self.cfg.crop)
                    features = encoded[2] if aova_input is None else encode_blockwise(ae, aova_input, self.cfg.crop)[2]
                    anomaly = torch.sigmoid(aova(*features, torch.from_numpy(self.embeddings.pairs([prompt]))))
                    candidate = F.interpolate((anomaly > self.cfg.heads_candidate_threshold).to(torch.float32),
                                              scale_factor=float(factor), mode="nearest")
                    residual = pseudo_healthy(
                        ae, unet, self.scheduler, x, torch.maximum(region, candidate), conditioning_for(case),
                        self._scale_factor(), self.cfg.inpainting_steps, self.cfg.inpainting_strength,
                        self.cfg.dilation_latent_voxels, self.cfg.latent_margin_voxels, gen, encoded, self.cfg.inpainting_samples,
                        self.cfg.crop,
                    )
                items["image"].append(x)
                items["healthy"].append(residual.pseudo_healthy)
                items["pixel"].append(residual.pixel_residual)
                items["feature"].append(residual.feature_residual)
                items["anomaly"].append(F.interpolate(anomaly, scale_factor=float(factor), mode="trilinear", align_corners=False))
                items["lesion"].append(lesion)
            self._heads = {k: torch.cat(v) for k, v in items.items()}
        return self._heads

    def _heads_real_crop(self, pool: list[PhantomCase], rng: np.random.Generator,
                         negative: bool) -> tuple[PhantomCase, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, str]:
        """A heads-bank crop of a case from `pool` (the case, image, lesion mask, labels, region to inpaint) and its
        prompt: a positive crop around the case's lesion under the lesion's own prompt; a negative one under a random
        AOVA prompt, centred anywhere in the body or (a heads_organ_crops share) in the organ that prompt names."""
        case = pool[int(rng.integers(len(pool)))]
        if negative and self.cfg.heads_organ_crops > 0 and rng.random() < self.cfg.heads_organ_crops:
            prompt = self.aova_prompts[int(rng.integers(len(self.aova_prompts)))]
            x, lesion, labels, region = self._heads_inputs(case, rng, negative, self.prompt_organs[prompt])
            return case, x, lesion, labels, region, prompt
        x, lesion, labels, region = self._heads_inputs(case, rng, negative)
        if negative or not case.present_lesions():
            prompt = self.aova_prompts[int(rng.integers(len(self.aova_prompts)))]
        else:
            first = case.present_lesions()[0]
            prompt = prompt_for(first.organ, first.kind)
        return case, x, lesion, labels, region, prompt

    def _heads_step(self, step: int) -> list[float]:
        """The refinement head on a batch of the heads bank (the trained AOVA frozen), each crop mirrored left-right
        and/or front-back at random: the residuals of a mirrored crop are the mirrored residuals."""
        rng = _rng(self.cfg.seed, "heads", step)
        bank = self._heads_bank()
        idx = torch.from_numpy(rng.integers(0, bank["image"].shape[0], self.cfg.batch["heads"]))
        batch = {k: v[idx] for k, v in bank.items()}
        axes = [axis for axis in (3, 4) if rng.random() < 0.5]
        if axes:
            batch = {k: torch.flip(v, axes) for k, v in batch.items()}
        refine = self.models.refinement.train()
        lesion_logit = refine(batch["image"], batch["healthy"], batch["pixel"], batch["feature"], batch["anomaly"])
        lesion = batch["lesion"]
        loss = F.binary_cross_entropy_with_logits(lesion_logit, lesion) + _dice_loss(lesion_logit, lesion)
        self._apply("heads", loss)
        return [float(loss)]

    def _apply(self, stage: str, loss: torch.Tensor) -> None:
        opt = self.optimizers[stage]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        params = [p for g in opt.param_groups for p in g["params"]]
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    # ---- driver --------------------------------------------------------------------------------------------------

    def run(self, max_minutes: float, log: Callable[[str], None] = print) -> bool:
        """Trains until every stage reaches its step target (returns True) or the budget runs out (False)."""
        start = time.monotonic()
        step_fns = {"vae": self._vae_step, "unet": self._unet_step, "aova": self._aova_step, "heads": self._heads_step}
        for stage in STAGES:
            target = self.cfg.steps[stage]
            while self.state.stage_steps[stage] < target:
                if (time.monotonic() - start) / 60.0 >= max_minutes:
                    self.save_checkpoint()
                    self.plot_losses()
                    log(f"budget of {max_minutes} min reached in stage {stage} at step {self.state.stage_steps[stage]}/{target}; "
                        "rerun the same command to resume")
                    return False
                step = self.state.stage_steps[stage]
                values = step_fns[stage](step)
                if not all(math.isfinite(v) for v in values):
                    raise FloatingPointError(f"stage {stage} step {step}: non-finite loss {values}")
                self.state.losses[stage].append([float(step)] + values)
                self.state.stage_steps[stage] = step + 1
                if (step + 1) % self.cfg.checkpoint_every == 0 or step + 1 == target:
                    self.save_checkpoint()
                    log(f"{stage} {step + 1}/{target} loss {values[0]:.5f} ({(time.monotonic() - start) / 60:.1f} min)")
        self.save_checkpoint()
        self.plot_losses()
        self.save_final()
        return True

    def plot_losses(self) -> list[Path]:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        written = []
        for stage, rows in self.state.losses.items():
            if not rows:
                continue
            data = np.array(rows)
            fig, ax = plt.subplots(figsize=(6, 3.5))
            ax.plot(data[:, 0], data[:, 1], linewidth=0.8)
            ax.set_xlabel("step")
            ax.set_ylabel("loss")
            ax.set_yscale("log" if (data[:, 1] > 0).all() else "linear")
            ax.set_title(f"{stage} (seed {self.cfg.seed}, preset {self.cfg.preset})")
            fig.tight_layout()
            path = self.run_dir / f"loss_{stage}.png"
            fig.savefig(path, dpi=100)
            plt.close(fig)
            written.append(path)
        (self.run_dir / "losses.json").write_text(json.dumps(self.state.losses), encoding="utf-8")
        return written
