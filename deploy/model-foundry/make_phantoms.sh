#!/usr/bin/env bash
# Generates the foundry's training set with the C# generator (`diffugts phantom`), one folder per case, at the
# reference model's voxel spacing (1.5 mm; the foundry does not resample). Deterministic: case N uses seed N.
#   deploy/model-foundry/make_phantoms.sh [OUT] [HEALTHY] [LESION]
# Seen lesions (liver, spleen, pancreas, lung × hypodense, hyperdense, rim-enhancing, infiltrative) train the heads;
# kidney and cystic lesions are generated too but held out by train.py's defaults (--unseen-organs kidney
# --unseen-kinds cystic), for the zero-shot benchmark.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/deploy/model-foundry/data/phantoms}
healthy=${2:-24}
lesion=${3:-48}
organs=(liver spleen pancreas liver kidney lung)
kinds=(hypodense hyperdense rim-enhancing infiltrative cystic)
dotnet build "$root/src/DiffuGts.Cli" -c Release -v q -nologo >/dev/null
cli=(dotnet "$root/src/DiffuGts.Cli/bin/Release/net10.0/diffugts.dll" phantom --size 256x256x128 --spacing 1.5 --format nifti)
mkdir -p "$out"
for ((n = 1; n <= healthy + lesion; n++)); do
  case=$(printf "%s/case-%04d" "$out" "$n")
  [[ -f "$case/phantom.json" ]] && continue
  region=abdomen; ((n % 4 == 0)) && region=thorax
  args=(--out "$case" --seed "$n" --region "$region")
  if ((n > healthy)); then
    organ=${organs[$((n % ${#organs[@]}))]}
    [[ $region == thorax ]] && organ=lung
    args+=(--lesion "$organ:${kinds[$((n / ${#organs[@]} % ${#kinds[@]}))]}")
  fi
  "${cli[@]}" "${args[@]}" | head -1
done
