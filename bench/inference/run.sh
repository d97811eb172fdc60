#!/bin/sh
# Times `diffugts segment` on the committed synthetic CT study (DICOM input: read, series → volume, pipeline, SEG + SC +
# PNG + NIfTI) and prints the total and per-stage times from findings.json.
# Usage: bench/inference/run.sh [PACKAGE] [INPUT] [DEVICE]
#   PACKAGE  model package (default deploy/models/reference, else deploy/models/tiny/reference-tiny)
#   INPUT    DICOM series/study folder or NIfTI file (default dicom-samples/ct-synthetic/dicom, 128×128×64 at 3 mm)
#   DEVICE   cpu (default), cuda or cuda:N
# Needs a built CLI (dotnet build -c Release src/DiffuGts.Cli) and python3 (json only).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
package=${1:-$root/deploy/models/reference}
[ -f "$package/manifest.json" ] || { [ $# -ge 1 ] && { echo "no model package at $package" >&2; exit 1; }; package=$root/deploy/models/tiny/reference-tiny; }
input=${2:-$root/dicom-samples/ct-synthetic/dicom}
device=${3:-cpu}
prompt=${BENCH_PROMPT:-liver tumor}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cli="$root/src/DiffuGts.Cli/bin/Release/net10.0/diffugts"
[ -x "$cli" ] || cli="$root/src/DiffuGts.Cli/bin/Debug/net10.0/diffugts"
[ -x "$cli" ] || { echo "build the CLI first: dotnet build -c Release src/DiffuGts.Cli" >&2; exit 1; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
# Progress (one line per stage with its duration) stays on stderr, so a long run shows where it is.
"$cli" segment "$input" --prompt "$prompt" --out "$work/out" --model "$package" --device "$device" >"$work/stdout"
end=$(date +%s.%N)
echo "input $(basename "$(dirname "$input")")/$(basename "$input"), package $(basename "$package"), device $device, prompt \"$prompt\""
echo "wall $(echo "$end - $start" | bc) s (incl. process start and model load); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/out/findings.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for r in doc["results"]:
    print(f"series {r['series_instance_uid'] or '(NIfTI)'}: {'x'.join(map(str, r['size']))} voxels")
    stages = {}
    for t in r["timings_ms"]:
        stages[t["stage"]] = stages.get(t["stage"], 0.0) + t["ms"]
    for stage, ms in stages.items():
        print(f"  {stage:<12} {ms:9.0f} ms")
    print(f"  {'sum':<12} {sum(stages.values()):9.0f} ms")
    for p in r["prompts"]:
        print(f"  {p['prompt']}: {len(p['lesions'])} lesion(s), {p['volume_ml']:.1f} mL")
print(f"total (read to summary, in process) {doc['total_ms']:.0f} ms")
PY
