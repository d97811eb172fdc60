#!/bin/sh
# Times `diffugts segment` on a synthetic CT volume (a bright sphere in water) with a model package, and prints the
# per-stage timings from findings.json. Usage: bench/inference/run.sh [PACKAGE] [SIZE_X SIZE_Y SIZE_Z] [DEVICE]
# Needs Debian's python3 with numpy and nibabel (to write the input) and a built CLI (dotnet build src/DiffuGts.Cli).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
package=${1:-$root/deploy/models/tiny/reference-tiny}
nx=${2:-128}; ny=${3:-128}; nz=${4:-64}; device=${5:-cpu}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/in.nii.gz" "$nx" "$ny" "$nz" <<'PY'
import sys, numpy as np, nibabel as nib
path, nx, ny, nz = sys.argv[1], *map(int, sys.argv[2:])
x, y, z = np.mgrid[:nx, :ny, :nz]
a = np.zeros((nx, ny, nz), np.int16)
a[((x - nx / 2) ** 2 + (y - ny / 2) ** 2 + ((z - nz / 2) * 2) ** 2) <= (min(nx, ny) / 8) ** 2] = 300
nib.save(nib.Nifti1Image(a, np.diag([-1.5, -1.5, 1.5, 1.0])), path)
PY
cli="$root/src/DiffuGts.Cli/bin/Release/net10.0/diffugts"
[ -x "$cli" ] || cli="$root/src/DiffuGts.Cli/bin/Debug/net10.0/diffugts"
start=$(date +%s.%N)
"$cli" segment "$work/in.nii.gz" --prompt "liver tumor" --out "$work/out" --model "$package" --device "$device" 2>/dev/null
end=$(date +%s.%N)
echo "volume ${nx}x${ny}x${nz}, package $(basename "$package"), device $device: $(echo "$end - $start" | bc) s wall (incl. start-up)"
/usr/bin/python3 -c "import json,sys; [print(f\"  {t['stage']:<12} {t['ms']:9.0f} ms\") for t in json.load(open(sys.argv[1]))['timings_ms']]" "$work/out/findings.json"
