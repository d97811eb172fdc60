#!/bin/bash
# On the device machine (bench/inference/gpu-bundle.sh says how the parts get there): unpacks the CLI, .NET and ONNX
# Runtime's CUDA provider, finds PyTorch's CUDA 13 / cuDNN 9 libraries, then times `diffugts segment` on the committed
# sample study twice with --device cuda (the first run pays CUDA's start-up) and once with --device cpu, and compares
# the CUDA mask with the CPU one. Logs and findings.json files go to $OUT.
set -u
stage=/tmp/stage
mkdir -p $stage /tmp/res
for p in .stage/p*; do [[ -f $stage/$(basename "$p") ]] || cp "$p" $stage/; done
read -r base_bytes base_sha cuda_sha <.stage/sizes
cat $stage/p?? >/tmp/blob
head -c "$base_bytes" /tmp/blob >/tmp/base.tar.xz
tail -c +$((base_bytes + 1)) /tmp/blob >/tmp/cuda.xz
echo "$base_sha  /tmp/base.tar.xz
$cuda_sha  /tmp/cuda.xz" | sha256sum -c - || exit 1
b=/tmp/b
mkdir -p $b && (cd $b && xz -T0 -dc /tmp/base.tar.xz | tar xf - && xz -T0 -dc /tmp/cuda.xz >app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so)
export DOTNET_ROOT=$b/dotnet DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
libs=$(find / -xdev \( -name 'libcublasLt.so.13*' -o -name 'libcudnn.so.9*' -o -name 'libcurand.so.10*' -o -name 'libcudart.so.13*' \) 2>/dev/null |
    xargs -r -n1 dirname | sort -u | tr '\n' ':')
export LD_LIBRARY_PATH=${libs}$b/app/runtimes/linux-x64/native
echo "unresolved libraries: $(ldd $b/app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so | grep -c 'not found')"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
for run in cuda1 cuda2 cpu; do
    device=cuda; [[ $run == cpu ]] && device=cpu
    start=$(date +%s%N)
    $b/dotnet/dotnet $b/app/diffugts.dll segment dicom-samples/ct-synthetic/dicom --prompt "liver tumor" --out /tmp/res/$run \
        --device $device >"$OUT/$run.log" 2>&1
    echo "$run: exit $?, wall $(( ($(date +%s%N) - start) / 1000000 )) ms (process start and model load included)"
    cp /tmp/res/$run/findings.json "$OUT/$run-findings.json" 2>/dev/null
done
python3 - <<'PY'
import glob, gzip, json, struct
import numpy as np

def load(path):
    raw = gzip.open(path).read()
    dims = struct.unpack('<8h', raw[40:56])
    dtype = {2: np.uint8, 4: np.int16, 16: np.float32, 256: np.int8, 512: np.uint16}[struct.unpack('<h', raw[70:72])[0]]
    return np.frombuffer(raw, dtype, int(np.prod(dims[1:1 + dims[0]])), int(struct.unpack('<f', raw[108:112])[0]))

for run in ('cuda2', 'cpu'):
    doc = json.load(open(f'/tmp/res/{run}/findings.json'))
    stages = {}
    for t in doc['results'][0]['timings_ms']:
        stages[t['stage']] = stages.get(t['stage'], 0) + t['ms']
    print(run, doc['model']['device'], f"total {doc['total_ms']:.0f} ms:", ', '.join(f'{k} {v:.0f}' for k, v in stages.items()))
for cuda in sorted(glob.glob('/tmp/res/cuda2/*_mask.nii.gz')):
    a, c = load(cuda) > 0, load(cuda.replace('/cuda2/', '/cpu/')) > 0
    print(cuda.split('/')[-1], f'CUDA {a.sum()} voxels, CPU {c.sum()}, Dice {2 * (a & c).sum() / max(1, a.sum() + c.sum()):.4f}')
PY
