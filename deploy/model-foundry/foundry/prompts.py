"""Prompt texts and their embeddings (package spec §6).

Embeddings come from the C# side: `diffugts embed-prompts --out prompts.json TEXT...` writes
`{"model": "all-MiniLM-L6-v2", "dim": 384, "embeddings": {"<text>": [...]}}` with L2-normalised rows.
Until that file is supplied, `placeholder_embedding` gives PLACEHOLDER vectors: fixed pseudo-random unit vectors derived
from the SHA-256 of the text. They carry no meaning (no open vocabulary); a package trained on them ships them as a
`lexicon` and can only serve exactly those prompts.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NORMAL_TEMPLATE = "a CT scan of healthy tissue without {prompt}"
ABNORMAL_TEMPLATE = "a CT scan showing {prompt}"
PLACEHOLDER_MODEL = "PLACEHOLDER-sha256-random-unit-vectors"


def prompt_for(organ: str, kind: str) -> str:
    """The prompt naming one lesion kind in one organ, e.g. ("liver", "tumor") → "liver tumor"."""
    return f"{organ} {kind}".strip().lower()


GENERIC_FINDINGS = ("tumor", "lesion", "mass")
"""Words a radiologist types for any focal lesion; training pairs each organ with them so "kidney mass" means something."""


def prompts_for_lesion(organ: str, kind: str) -> list[str]:
    """Every prompt that should find this lesion: its own kind ("liver hypodense") and the organ's generic findings."""
    found = [prompt_for(organ, kind)] + [prompt_for(organ, g) for g in GENERIC_FINDINGS]
    return list(dict.fromkeys(found))


def templated(prompt: str) -> tuple[str, str]:
    p = prompt.strip().lower()
    return NORMAL_TEMPLATE.format(prompt=p), ABNORMAL_TEMPLATE.format(prompt=p)


def placeholder_embedding(text: str, dim: int) -> np.ndarray:
    """PLACEHOLDER, not a text encoder: a unit vector seeded by SHA-256(text)."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


@dataclass(frozen=True)
class PromptEmbeddings:
    """Text → unit vector, with the name of the model that produced them."""

    model: str
    dim: int
    vectors: dict[str, np.ndarray]

    @property
    def is_placeholder(self) -> bool:
        return self.model == PLACEHOLDER_MODEL

    @staticmethod
    def placeholder(texts: list[str], dim: int) -> "PromptEmbeddings":
        return PromptEmbeddings(PLACEHOLDER_MODEL, dim, {t: placeholder_embedding(t, dim) for t in texts})

    @staticmethod
    def load(path: Path) -> "PromptEmbeddings":
        return PromptEmbeddings.load_dict(json.loads(path.read_text(encoding="utf-8")), str(path))

    @staticmethod
    def load_dict(data: dict[str, object], source: str = "prompt embeddings") -> "PromptEmbeddings":
        """The JSON form of `diffugts embed-prompts`: {"model", "dim", "embeddings": {text: [E numbers]}}."""
        vectors = {t: np.asarray(v, dtype=np.float32) for t, v in data["embeddings"].items()}  # type: ignore[union-attr]
        dim = int(data["dim"])  # type: ignore[arg-type]
        for text, v in vectors.items():
            if v.shape != (dim,):
                raise ValueError(f"{source}: embedding of '{text}' has shape {v.shape}, expected ({dim},)")
        return PromptEmbeddings(str(data["model"]), dim, vectors)

    def pair(self, prompt: str) -> np.ndarray:
        """[2, E]: row 0 the normal-template embedding, row 1 the abnormal one (spec §3.4)."""
        normal, abnormal = templated(prompt)
        missing = [t for t in (normal, abnormal) if t not in self.vectors]
        if missing:
            raise KeyError(f"no embedding for {missing}; run: diffugts embed-prompts --out FILE.json " + " ".join(f'"{t}"' for t in missing))
        return np.stack([self.vectors[normal], self.vectors[abnormal]])

    def pairs(self, prompts: list[str]) -> np.ndarray:
        return np.stack([self.pair(p) for p in prompts]) if prompts else np.zeros((0, 2, self.dim), np.float32)

    def lexicon(self, prompts: list[str]) -> dict[str, object]:
        """The spec's lexicon.json for exactly these prompts."""
        texts = [t for p in prompts for t in templated(p)]
        return {"embeddings": {t: [float(x) for x in self.vectors[t]] for t in texts}}
