"""GPU experiment: does a better-trained or wider diffusion UNet lower the pseudo-healthy texture floor and heal?

    # here (CPU, reads NIfTI): the package's UNet, the healthy latents, the twin probe boxes
    /usr/bin/python3 tools/gpu_unet_experiment.py prepare PACKAGE --healthy DIR --probe GROUP=DIR[,DIR…]… --twins GROUP=DIR…
        --out BUNDLE [--vae-block 32] [--model-spacing S] [--heal-cases DIR --heal-twins DIR [--heal-crops 2]]
    # on a device (PyTorch only, no NIfTI reader needed): train each variant for a wall-clock budget, probe before/after
    python3 tools/gpu_unet_experiment.py run BUNDLE --out DIR --variant NAME:WIDTH:INIT … [--seconds 150] [--batch 128]
        [--strengths 0.6 1.0] [--samples 8] [--probe-cases N] [--heal-fraction F --heal-weight W]

A bundle is small enough to travel (the device tool's 64 MiB): BUNDLE/unet.pt (the package's UNet weights in fp16, its
preset, latent scale and window), BUNDLE/healthy.pt (the scaled latents of the healthy cases, encoded in VAE blocks as
train.py encodes them, fp16, with their conditioning) and BUNDLE/probe.pt (tools/twin_latent_probe.py's boxes for each
probe case and its healthy twin, by group).

`run` trains each variant with train.py's UNet objective (MAISI v2's velocity, L1) on random --crop³ latent crops,
AdamW at --lr, for --seconds of wall clock; with --heal-fraction F that share of each batch is a healing pair from
BUNDLE/heal.pt (prepare --heal-cases: --heal-crops crops of --crop latent voxels around each seen lesion of the folder
and the same crops of its healthy twin in --heal-twins, as train.py --unet-heal-twins draws them), taught as train.py
teaches its healing share (foundry.training.unet_error; the lesion's latent voxels weighted --heal-weight); WIDTH multiplies every channel count of the preset's
UNet (attention head width too), INIT is `package` (start from the bundle's weights; WIDTH must be 1), the path of an
earlier run's unet-NAME.pt (its training goes on, with a fresh optimizer) or `scratch`. Before (all but scratch) and after training it prints twin_latent_probe's means per group and strength: `inpaint`
(|H − z_twin| / |Δ|), `floor` (the twin's own inpainting, nothing to heal: regenerated texture), `kept` (the share of
the lesion's latent difference H keeps), H being one inpainting (n1) or the mean of --samples (posterior-mean estimate);
the K samples run as one batch, case and twin with the same K noise draws (as twin_latent_probe's shared seeds). A variant
of the package's shape is saved as DIR/unet-NAME.pt ({"models": {"unet": fp16 state}, "scale_factor"}), which
train.py --init-unet-from reads. One JSON line per variant at the end (losses per 100 steps, steps, seconds a step).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import fields, replace
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from foundry.diffusion_unet import DiffusionUNet  # noqa: E402
from foundry.pipeline import Conditioning, inpaint  # noqa: E402
from foundry.reference_model import PRESETS  # noqa: E402
from foundry.schedulers import RectifiedFlowScheduler  # noqa: E402
from foundry.training import stack_conditioning, unet_training_error  # noqa: E402

CONDITIONING_FIELDS = tuple(f.name for f in fields(Conditioning))


def _conditioning_dict(cond: Conditioning) -> dict[str, torch.Tensor]:
    return {f: getattr(cond, f) for f in CONDITIONING_FIELDS}


def _groups(specs: list[str], option: str) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for spec in specs:
        if "=" not in spec:
            raise SystemExit(f"{option} wants GROUP=DIR[,DIR…], not {spec!r}")
        name, paths = spec.split("=", 1)
        out[name] = [Path(p) for p in paths.split(",") if p]
    return out


def prepare(args: argparse.Namespace) -> int:
    from foundry.package_weights import load_networks
    from foundry.phantoms import read_generator_case, resample_case, window_intensity
    from foundry.training import conditioning_for, encode_heal_pair, encode_in_blocks, read_twin, twin_crops
    from twin_latent_probe import twin_boxes

    models, config, scale = load_networks(args.package)
    window = tuple(config.get("intensity_window", (-1000.0, 1000.0)))
    block = args.vae_block or models.autoencoder.config.downsample_factor * models.unet.config.latent_multiple
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save({"preset": str(config["preset"]), "scale_factor": scale, "window": window,
                "state": {k: v.half() for k, v in models.unet.state_dict().items()}}, args.out / "unet.pt")

    def read(folder: Path):  # type: ignore[no-untyped-def]
        case = read_generator_case(folder)
        return resample_case(case, args.model_spacing) if args.model_spacing else case

    latents, conds = [], []
    with torch.no_grad():
        for folder in sorted(p for p in args.healthy.iterdir() if (p / "phantom.json").exists())[: args.max_healthy]:
            case = read(folder)
            latents.append((encode_in_blocks(models.autoencoder, window_intensity(case.image, *window), block) * scale).half())
            conds.append(_conditioning_dict(conditioning_for(case)))
        torch.save({"latents": latents, "conditioning": conds}, args.out / "healthy.pt")
        twins = _groups(args.twins, "--twins")
        probe: dict[str, list[dict[str, object]]] = {}
        for group, folders in _groups(args.probe, "--probe").items():
            probe[group] = []
            for folder in folders:
                pair = twin_boxes(models, scale, read(folder), read(twins[group][0] / folder.name), window, args.vae_block, args.dilation)
                # clone: torch.save writes a view's whole storage (the volume's latent), not the box
                probe[group].append({"name": folder.name, "sick": pair.sick.clone(), "healthy": pair.healthy.clone(),
                                     "mask": pair.mask.clone(), "inside": pair.inside.clone(), "conditioning": _conditioning_dict(pair.cond)})
        torch.save(probe, args.out / "probe.pt")
        if args.heal_cases:
            if args.heal_twins is None:
                raise SystemExit("--heal-cases needs --heal-twins, the folder of their healthy twins")
            heal, size = [], args.heal_crop * models.autoencoder.config.downsample_factor
            for index, folder in enumerate(sorted(p for p in args.heal_cases.iterdir() if (p / "phantom.json").exists())):
                case = read(folder)
                twin = read_twin(args.heal_twins, case, args.model_spacing)
                if twin is None or not case.lesions:
                    continue
                for sick, clean, mask in twin_crops(case, twin, size, args.heal_crops, [0, index]):
                    z_sick, z_clean, pooled = encode_heal_pair(models.autoencoder, window_intensity(sick, *window),
                                                               window_intensity(clean, *window), mask, block)
                    heal.append({"sick": (z_sick * scale).half(), "healthy": (z_clean * scale).half(), "mask": pooled.half(),
                                 "conditioning": _conditioning_dict(conditioning_for(case))})
            if not heal:
                raise SystemExit(f"--heal-cases {args.heal_cases}: no lesion case has a healthy twin in {args.heal_twins}")
            torch.save(heal, args.out / "heal.pt")
            print(f"{len(heal)} healing pairs")
    total = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"{args.out}: {len(latents)} healthy latents, {sum(len(v) for v in probe.values())} probe pairs, {total / 2**20:.1f} MiB")
    return 0


def _unet(preset: str, width: float) -> DiffusionUNet:
    cfg = PRESETS[preset].unet
    if width != 1:
        cfg = replace(cfg, num_channels=tuple(int(round(c * width)) for c in cfg.num_channels),
                      num_head_channels=tuple(int(round(c * width)) for c in cfg.num_head_channels))
    return DiffusionUNet(cfg)


def _cond(d: dict[str, torch.Tensor], device: torch.device, repeat: int = 1) -> Conditioning:
    return Conditioning(*(d[f].to(device).repeat(repeat, *([1] * (d[f].dim() - 1))) for f in CONDITIONING_FIELDS))


@torch.no_grad()
def probe_means(unet: DiffusionUNet, scheduler: RectifiedFlowScheduler, probe: dict[str, list[dict[str, object]]],
                strengths: list[float], samples: int, steps: int, device: torch.device) -> dict[str, dict[str, float]]:
    """{"GROUP s0.6": {"inpaint n1": …, "floor n1": …, "kept n1": …, "inpaint nK": …, …}} over each group's cases."""
    from twin_latent_probe import TwinBoxes, healing_scores

    unet.eval()
    out: dict[str, dict[str, float]] = {}
    for group, cases in probe.items():
        for strength in strengths:
            sums: dict[str, float] = {}
            for item in cases:
                pair = TwinBoxes(*(item[k].float() for k in ("sick", "healthy", "mask")), item["inside"],  # type: ignore[union-attr]
                                 _cond(item["conditioning"], torch.device("cpu")))  # type: ignore[arg-type]
                z0 = torch.cat([pair.sick.expand(samples, -1, -1, -1, -1), pair.healthy.expand(samples, -1, -1, -1, -1)]).to(device)
                generator = torch.Generator().manual_seed(0)
                eps = torch.randn((samples, *pair.sick.shape[1:]), generator=generator)
                h = inpaint(unet, scheduler, z0, pair.mask.to(device), _cond(item["conditioning"], device, 2 * samples),  # type: ignore[arg-type]
                            steps, strength, generator, noise=torch.cat([eps, eps])).float().cpu()
                for n, (hs, ht) in (("n1", (h[:1], h[samples:samples + 1])), (f"n{samples}", (h[:samples].mean(0, keepdim=True), h[samples:].mean(0, keepdim=True)))):
                    for name, value in zip(("inpaint", "floor", "kept"), healing_scores(pair, hs, ht)):
                        sums[f"{name} {n}"] = sums.get(f"{name} {n}", 0.0) + value
            out[f"{group} s{strength}"] = {k: v / len(cases) for k, v in sums.items()}
    return out


def run(args: argparse.Namespace) -> int:
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    bundle = torch.load(args.bundle / "unet.pt")
    healthy = torch.load(args.bundle / "healthy.pt")
    probe = {group: cases[: args.probe_cases] for group, cases in torch.load(args.bundle / "probe.pt").items()}
    preset = str(bundle["preset"])
    scheduler = RectifiedFlowScheduler(PRESETS[preset].scheduler)
    latents = [z.float().to(device) for z in healthy["latents"]]
    conds = [_cond(c, device) for c in healthy["conditioning"]]
    heal = []
    if args.heal_fraction > 0:
        if not (args.bundle / "heal.pt").is_file():
            raise SystemExit(f"--heal-fraction needs healing pairs: {args.bundle} was prepared without --heal-cases")
        heal = [{"sick": p["sick"].float().to(device), "healthy": p["healthy"].float().to(device), "mask": p["mask"].float().to(device),
                 "conditioning": _cond(p["conditioning"], device)} for p in torch.load(args.bundle / "heal.pt")]
        if heal[0]["sick"].shape[-1] != args.crop:
            raise SystemExit(f"--crop {args.crop}: the bundle's healing pairs are {heal[0]['sick'].shape[-1]} latent voxels (prepare --heal-crop)")
    args.out.mkdir(parents=True, exist_ok=True)
    summaries = []
    for spec in args.variant:
        name, width_text, init = spec.split(":")
        width = float(width_text)
        resumed = init not in ("package", "scratch")
        if (init != "scratch" and width != 1) or (resumed and not Path(init).is_file()):
            raise SystemExit(f"--variant {spec}: INIT is package or a saved unet-NAME.pt (WIDTH 1 for both), or scratch")
        torch.manual_seed(args.seed)
        unet = _unet(preset, width)
        if init == "package":
            unet.load_state_dict({k: v.float() for k, v in bundle["state"].items()})
        elif resumed:  # an earlier run's unet-NAME.pt: its training goes on (a fresh optimizer)
            unet.load_state_dict({k: v.float() for k, v in torch.load(init)["models"]["unet"].items()})
        unet = unet.to(device)
        params = sum(p.numel() for p in unet.parameters())
        print(f"== {name}: width {width}, {init}, {params / 1e6:.2f} M parameters, {device}", flush=True)
        if init != "scratch":
            for key, row in probe_means(unet, scheduler, probe, args.strengths, args.samples, args.steps, device).items():
                print(f"before {name} {key}: " + " ".join(f"{k} {v:.2f}" for k, v in row.items()), flush=True)
        optimizer = torch.optim.AdamW(unet.parameters(), lr=args.lr)
        generator = torch.Generator().manual_seed(args.seed)
        losses, window, step, start = [], [], 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            healing = round(args.heal_fraction * args.batch)
            pairs = torch.randint(len(heal), (healing,), generator=generator).tolist() if healing else []
            picks = torch.randint(len(latents), (args.batch - healing,), generator=generator).tolist()
            crops = []
            for i in picks:
                z = latents[i]
                o = [int(torch.randint(n - args.crop + 1, (1,), generator=generator)) for n in z.shape[2:]]
                crops.append(z[:, :, o[0]:o[0] + args.crop, o[1]:o[1] + args.crop, o[2]:o[2] + args.crop])
            z_in = torch.cat([heal[i]["sick"] for i in pairs] + crops)
            z0 = torch.cat([heal[i]["healthy"] for i in pairs] + crops)
            weight = torch.cat([1 + (args.heal_weight - 1) * heal[i]["mask"] for i in pairs] + [torch.ones_like(c[:, :1]) for c in crops])
            cond = stack_conditioning([heal[i]["conditioning"] for i in pairs] + [conds[i] for i in picks])
            loss = (unet_training_error(unet.train(), scheduler, z_in, z0, cond, generator).abs() * weight).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
            optimizer.step()
            window.append(float(loss))
            step += 1
            if len(window) == 100:
                losses.append(sum(window) / len(window))
                window = []
        seconds = time.perf_counter() - start
        for key, row in probe_means(unet, scheduler, probe, args.strengths, args.samples, args.steps, device).items():
            print(f"after {name} {key}: " + " ".join(f"{k} {v:.2f}" for k, v in row.items()), flush=True)
        if width == 1:
            unet = unet.cpu()
            torch.save({"models": {"unet": {k: v.half() for k, v in unet.state_dict().items()}}, "scale_factor": bundle["scale_factor"]},
                       args.out / f"unet-{name}.pt")
        summaries.append({"variant": name, "width": width, "init": init, "heal_fraction": args.heal_fraction, "parameters": params, "steps": step,
                          "seconds_per_step": round(seconds / max(step, 1), 4), "batch": args.batch, "loss_per_100": [round(x, 4) for x in losses]})
        print(json.dumps(summaries[-1]), flush=True)
    return 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("package", type=Path)
    a.add_argument("--healthy", type=Path, required=True, help="folder of healthy `diffugts phantom` cases")
    a.add_argument("--max-healthy", type=int, default=None)
    a.add_argument("--probe", nargs="+", default=[], help="GROUP=CASE_DIR[,CASE_DIR…]: lesion cases probed, by group")
    a.add_argument("--twins", nargs="+", default=[], help="GROUP=DIR: each group's folder of healthy twins")
    a.add_argument("--out", type=Path, required=True)
    a.add_argument("--vae-block", type=int, default=None)
    a.add_argument("--model-spacing", type=float, default=None)
    a.add_argument("--dilation", type=int, default=1)
    a.add_argument("--heal-cases", type=Path, default=None, help="folder of seen-lesion `diffugts phantom` cases for healing pairs")
    a.add_argument("--heal-twins", type=Path, default=None, help="their healthy twins (tools/healing_oracle.py makes them)")
    a.add_argument("--heal-crops", type=int, default=2, help="healing pairs per lesion case")
    a.add_argument("--heal-crop", type=int, default=16, help="edge of a healing pair in latent voxels (run's --crop)")
    r = sub.add_parser("run")
    r.add_argument("bundle", type=Path)
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--variant", nargs="+", required=True, help="NAME:WIDTH:INIT (INIT package, scratch or a saved unet-NAME.pt)")
    r.add_argument("--seconds", type=float, default=150.0, help="training wall clock per variant")
    r.add_argument("--batch", type=int, default=128)
    r.add_argument("--crop", type=int, default=16, help="latent crop edge")
    r.add_argument("--lr", type=float, default=2e-4)
    r.add_argument("--strengths", type=float, nargs="+", default=[0.6, 1.0])
    r.add_argument("--samples", type=int, default=8)
    r.add_argument("--steps", type=int, default=30)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--probe-cases", type=int, default=None, help="probe only the first N cases of each group (a CPU run)")
    r.add_argument("--device", default=None)
    r.add_argument("--heal-fraction", type=float, default=0.0, help="share of each batch that is a healing pair (0: plain)")
    r.add_argument("--heal-weight", type=float, default=30.0, help="loss weight of a healing pair's lesion voxels")
    args = p.parse_args(argv)
    return prepare(args) if args.command == "prepare" else run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
