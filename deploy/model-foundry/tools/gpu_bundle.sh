#!/usr/bin/env bash
# The inputs of the 1.5 mm healing-UNet experiment on a device (README, "The 1.5 mm bundle for the shipped package"),
# rebuilt from a clean checkout: runs/, data/ and the bundle are git-ignored and need not outlive a session.
#   deploy/model-foundry/tools/gpu_bundle.sh [PACKAGE]      PACKAGE: default deploy/models/reference (the shipped one)
# 1. phantoms with the generator (make_phantoms.sh): data/phantoms-3mm (136), data/lesions-3mm (240 seen lesions),
#    data/validation (21, seeds 3001-3021), data/heldout-kidney (8, diagnostic only);
# 2. healthy twins (tools/healing_oracle.py make_twin) of lesions-3mm 1-120, the validation and the kidney phantoms;
# 3. tools/gpu_unet_experiment.py prepare at 1.5 mm: 40 healthy latents, probe pairs (lesions-3mm 1-8, validation,
#    kidney), healing pairs from lesions-3mm and its twins, into ../../.gpu-bundle-15;
# 4. that bundle in parts of 30 MB with their sums in ../../.gpu-bundle-15-parts (a device call carries 64 MiB at most).
# Finished phantoms and twins are kept; the bundle is remade only when its folder is missing. 36 min on 2 cores.
# Prints the device calls that follow.
set -euo pipefail
package=$(readlink -m "${1:-$(dirname "${BASH_SOURCE[0]}")/../../models/reference}") # the caller's relative path, before the cd
cd "$(dirname "${BASH_SOURCE[0]}")/.."
py=/usr/bin/python3
root=$(cd ../.. && pwd)
bundle=$root/.gpu-bundle-15
parts=$root/.gpu-bundle-15-parts
[[ -f $package/manifest.json ]] || { echo "gpu_bundle: no model package at $package" >&2; exit 2; }

kinds="hypodense hyperdense rim-enhancing infiltrative"
./make_phantoms.sh data/phantoms-3mm
env SEED0=5000 ORGANS="liver spleen pancreas" KINDS="$kinds" REGION=abdomen ./make_phantoms.sh data/lesions-3mm 0 240
env SEED0=3000 ORGANS="liver spleen pancreas" KINDS="$kinds" REGION=abdomen ./make_phantoms.sh data/validation 0 21
env SEED0=9000 ORGANS=kidney KINDS="$kinds" REGION=abdomen ./make_phantoms.sh data/heldout-kidney 0 8

"$py" - "$root/src/DiffuGts.Cli/bin/Release/net10.0/diffugts.dll" <<'PY'
import sys
from pathlib import Path
sys.path[:0] = ["tools", "."]
from healing_oracle import make_twin

cli = Path(sys.argv[1])
for cases, twins, first in (("data/lesions-3mm", "data/lesions-3mm-twins", 120), ("data/validation", "data/validation-twins", None),
                            ("data/heldout-kidney", "data/heldout-kidney-twins", None)):
    for case in sorted(Path(cases).glob("case-*"))[:first]:
        make_twin(case, Path(twins), cli)
PY

if [[ ! -d $bundle ]]; then
    list() { ls -d "$@" | paste -sd,; }
    "$py" tools/gpu_unet_experiment.py prepare "$package" --healthy data/phantoms-3mm --max-healthy 40 \
        --model-spacing 1.5 --vae-block 32 \
        --probe "lesions=$(list data/lesions-3mm/case-000[1-8])" "validation=$(list data/validation/case-*)" \
                "kidney=$(list data/heldout-kidney/case-*)" \
        --twins lesions=data/lesions-3mm-twins validation=data/validation-twins kidney=data/heldout-kidney-twins \
        --heal-cases data/lesions-3mm --heal-twins data/lesions-3mm-twins --heal-crops 2 --out "$bundle.tmp"
    mv "$bundle.tmp" "$bundle"
fi

rm -rf "$parts" && mkdir -p "$parts"
tar -C "$bundle" -cf - . | split -b 30000000 -d - "$parts/g"
(cd "$parts" && sha256sum g* >sums)
n=$(ls "$parts"/g* | wc -l)
echo "gpu_bundle: $bundle ($(du -sh "$bundle" | cut -f1)) in $n parts under $parts"
echo "device: for each part but the last, one call carrying .gpu-bundle-15-parts/gNN:"
echo "  mkdir -p /tmp/g15 && cp .gpu-bundle-15-parts/gNN /tmp/g15/"
echo "then one call carrying the last part and sums (the machine keeps /tmp while warm):"
echo "  cp .gpu-bundle-15-parts/g$(printf %02d $((n - 1))) .gpu-bundle-15-parts/sums /tmp/g15/ && (cd /tmp/g15 && sha256sum -c sums) && \\"
echo "  mkdir -p /tmp/b15 && cat /tmp/g15/g* | tar -x -C /tmp/b15 && mkdir -p /tmp/stub/nibabel && touch /tmp/stub/nibabel/__init__.py && \\"
echo "  cd deploy/model-foundry && PYTHONPATH=/tmp/stub python3 tools/gpu_unet_experiment.py run /tmp/b15 --out \$OUT \\"
echo "      --variant h:1:package --seconds 180 --batch 64 --heal-fraction 0.5 --heal-weight 30"
