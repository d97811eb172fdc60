"""Independent reference for the C# schedulers: the formulas of Ho et al. (DDPM eq. 7), Song et al. (DDIM eqs. 12, 16)
and MONAI's RFlowScheduler (method note §5.7), in float64 numpy, plus xoshiro256** / Box-Muller for the noise stream.
Reads a JSON request on stdin and prints a JSON answer."""
import json
import math
import sys

import numpy as np

req = json.load(sys.stdin)
T = 1000
betas = np.linspace(math.sqrt(0.0015), math.sqrt(0.0195), T, dtype=np.float64) ** 2
alphas = 1.0 - betas
abar = np.cumprod(alphas)
x = np.array(req["x"], dtype=np.float64)
out = np.array(req["model_output"], dtype=np.float64)
z = np.array(req["z"], dtype=np.float64)
ans = {}


def x0_eps(kind, a):
    if kind == "epsilon":
        x0 = (x - math.sqrt(1 - a) * out) / math.sqrt(a)
        return x0, out
    x0 = math.sqrt(a) * x - math.sqrt(1 - a) * out  # v-prediction
    return x0, math.sqrt(a) * out + math.sqrt(1 - a) * x


for t in req["ddpm_t"]:
    a, ap = abar[t], (abar[t - 1] if t > 0 else 1.0)
    x0, _ = x0_eps("epsilon", a)
    mean = math.sqrt(ap) * betas[t] / (1 - a) * x0 + math.sqrt(alphas[t]) * (1 - ap) / (1 - a) * x
    if t > 0:
        mean = mean + math.sqrt(max((1 - ap) / (1 - a) * betas[t], 1e-20)) * z
    ans[f"ddpm_{t}"] = mean.tolist()

n = req["ddim_steps"]
ratio = T // n
ans["ddim_timesteps"] = [k * ratio for k in range(n - 1, -1, -1)]
for case in req["ddim_cases"]:
    t, eta, kind = case["t"], float(case["eta"]), case["prediction"]
    a = abar[t]
    ap = abar[t - ratio] if t - ratio >= 0 else 1.0
    x0, eps = x0_eps(kind, a)
    sigma = eta * math.sqrt((1 - ap) / (1 - a)) * math.sqrt(1 - a / ap)
    nxt = math.sqrt(ap) * x0 + math.sqrt(1 - ap - sigma ** 2) * eps + (sigma * z if eta > 0 else 0)
    ans[f"ddim_{t}_{eta}_{kind}"] = nxt.tolist()
t = req["invert_t"]
x0, eps = x0_eps("epsilon", abar[t])
an = abar[t + ratio]
ans["ddim_invert"] = (math.sqrt(an) * x0 + math.sqrt(1 - an) * eps).tolist()

n, numel = req["rflow_steps"], req["rflow_numel"]
ts = []
for i in range(n):
    s = (1 - i / n)
    r = (numel / 32768) ** (1 / 3)
    s = r * s / (1 + (r - 1) * s)
    ts.append(float(np.float16(s * T)))
ans["rflow_timesteps"] = ts
for i in req["rflow_index"]:
    t = ts[i]
    nt = ts[i + 1] if i + 1 < n else 0.0
    ans[f"rflow_{i}"] = (x + out * (t - int(nt)) / T).tolist()
    ans[f"rflow_x0_{i}"] = (x + out * t / T).tolist()

# xoshiro256** seeded by SplitMix64, then Box-Muller (cos first, then sin).
M = (1 << 64) - 1
state = req["seed"] & M
s = []
for _ in range(4):
    state = (state + 0x9E3779B97F4A7C15) & M
    zz = state
    zz = ((zz ^ (zz >> 30)) * 0xBF58476D1CE4E5B9) & M
    zz = ((zz ^ (zz >> 27)) * 0x94D049BB133111EB) & M
    s.append(zz ^ (zz >> 31))


def rotl(v, k):
    return ((v << k) | (v >> (64 - k))) & M


def nxt():
    r = (rotl((s[1] * 5) & M, 7) * 9) & M
    t = (s[1] << 17) & M
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
    return r


g = []
while len(g) < req["gaussians"]:
    u1 = ((nxt() >> 11) + 1) / float(1 << 53)
    u2 = ((nxt() >> 11) + 1) / float(1 << 53)
    r = math.sqrt(-2 * math.log(u1))
    g += [r * math.cos(2 * math.pi * u2), r * math.sin(2 * math.pi * u2)]
ans["gaussians"] = g[:req["gaussians"]]
print(json.dumps(ans))
