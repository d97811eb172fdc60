#!/usr/bin/env bash
# Generates the foundry's training set with the C# generator (`diffugts phantom`), one folder per case, at the
# reference model's voxel spacing (3 mm, the spacing of a typical abdominal series; the foundry does not resample).
# Deterministic: case N uses seed SEED0 + N. SIZE and SPACING (environment) override the grid.
#   deploy/model-foundry/make_phantoms.sh [OUT] [HEALTHY] [LESION]
# More lesions for the heads (the default set has about 40 seen abdominal lesions, too few to generalise from):
#   SEED0=5000 ORGANS="liver spleen pancreas" KINDS="hypodense hyperdense rim-enhancing infiltrative" REGION=abdomen \
#   deploy/model-foundry/make_phantoms.sh data/lesions-3mm 0 240
# Seen lesions (liver, spleen, pancreas, lung × hypodense, hyperdense, rim-enhancing, infiltrative) train the heads;
# kidney and cystic lesions are generated too but held out by train.py's defaults (--unseen-organs kidney
# --unseen-kinds cystic), for the zero-shot benchmark.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/deploy/model-foundry/data/phantoms}
healthy=${2:-40}
lesion=${3:-96}
size=${SIZE:-128x128x64}
spacing=${SPACING:-3}
read -r -a organs <<<"${ORGANS:-liver spleen pancreas liver kidney lung}"
read -r -a kinds <<<"${KINDS:-hypodense hyperdense rim-enhancing infiltrative cystic}"
seed0=${SEED0:-0}
dotnet build "$root/src/DiffuGts.Cli" -c Release -v q -nologo >/dev/null
cli=(dotnet "$root/src/DiffuGts.Cli/bin/Release/net10.0/diffugts.dll" phantom --size "$size" --spacing "$spacing" --format nifti)
mkdir -p "$out"
for ((n = 1; n <= healthy + lesion; n++)); do
  case=$(printf "%s/case-%04d" "$out" "$n")
  [[ -f "$case/phantom.json" ]] && continue
  region=abdomen; ((n % 4 == 0)) && region=thorax
  [[ -n ${REGION:-} ]] && region=$REGION
  args=(--out "$case" --seed "$((seed0 + n))" --region "$region")
  if ((n > healthy)); then
    organ=${organs[$((n % ${#organs[@]}))]}
    [[ $region == thorax ]] && organ=lung
    args+=(--lesion "$organ:${kinds[$((n / ${#organs[@]} % ${#kinds[@]}))]}")
  fi
  # A lesion that does not fit in this seed's organ fails the case: the next seed is tried (at most 20).
  for ((try = 0; try < 20; try++)); do
    "${cli[@]}" "${args[@]}" >/dev/null 2>&1 && break
    args[3]=$((args[3] + 100000))
  done
  [[ -f "$case/phantom.json" ]] || { echo "make_phantoms: no seed fits case $n" >&2; exit 2; }
  echo "$case"
done
