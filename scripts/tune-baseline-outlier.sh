#!/usr/bin/env bash
# Chooses baseline (a)'s z and smoothing σ of the zero-shot benchmark on the seen-category validation phantoms, never on
# the benchmark's cases: every (z, σ) pair below runs `diffugts eval --methods a` over the validation set and the pair
# with the best mean Dice is printed last (it is what OrganIntensityOutlierOptions' defaults must say).
#   scripts/tune-baseline-outlier.sh          deploy/model-foundry/data/validation (make_phantoms.sh output, 21 cases)
#   VALIDATION=DIR                            another folder of phantoms (case-*/image, labels, lesions .nii.gz, phantom.json)
#   PAIRS="1.5:3 2:9"                         the (z:σ mm) pairs tried (default: the 30 below, z 1–3, σ 0–12 mm)
#   OUT=DIR                                   where the benchmark-layout view and the results go (default out/tune-baseline-outlier)
# Runs in about 3 minutes on 2 cores (a needs no model).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/benchmark-common.sh"
validation=$(cd "${VALIDATION:-$root/deploy/model-foundry/data/validation}" && pwd)
out=${OUT:-$root/out/tune-baseline-outlier}
# A coarse grid (z 1.5–3 × σ 3–12) and, around its best corner, finer steps down to no smoothing.
pairs=${PAIRS:-"1.5:3 1.5:6 1.5:9 1.5:12 2:3 2:6 2:9 2:12 2.5:3 2.5:6 2.5:9 2.5:12 3:3 3:6 3:9 3:12
    1:0 1:1.5 1:3 1:4.5 1.25:0 1.25:1.5 1.25:3 1.25:4.5 1.5:0 1.5:1.5 1.5:4.5 1.5:5 1.75:4.5 1.75:5"}

mkdir -p "$out"
dotnet build "$root/src/DiffuGts.Cli" -c Release -o "$out/bin" -v q -nologo >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 2; }

# The validation phantoms in the benchmark layout (links and a case.json with the target organ's label values).
view="$out/dataset"
rm -rf "$view" && mkdir -p "$view/cases"
count=0
for folder in "$validation"/case-*; do
    [[ -f $folder/phantom.json ]] || continue
    dest="$view/cases/$(basename "$folder")"
    mkdir -p "$dest"
    ln -s "$folder/image.nii.gz" "$dest/image.nii.gz"
    ln -s "$folder/lesions.nii.gz" "$dest/lesion.nii.gz"
    ln -s "$folder/labels.nii.gz" "$dest/organs.nii.gz"
    read -r organ kind seed < <(jq -r '[.lesions[0].organ, .lesions[0].kind, .seed] | @tsv' "$folder/phantom.json")
    benchmark_case_json "$folder/phantom.json" "$organ" "$kind" seen "$organ lesion" "$seed" >"$dest/case.json"
    count=$((count + 1))
done
((count > 0)) || { echo "tune-baseline-outlier: no case-*/phantom.json under $validation" >&2; exit 2; }
echo "tune-baseline-outlier: $count validation cases from $validation"

best=""
for pair in $pairs; do
    z=${pair%:*} sigma=${pair#*:}
    results="$out/z$z-sigma$sigma"
    dotnet "$out/bin/diffugts.dll" eval "$view" --out "$results" --methods a --outlier-z "$z" --outlier-sigma-mm "$sigma" -q \
        >"$results.log" 2>&1 || { cat "$results.log"; exit 2; }
    mean=$(jq '[.[] | select(.status == "ok") | .dice] | add / length' "$results/results.json")
    printf 'z %-5s sigma %-4s mm  mean Dice %.3f\n' "$z" "$sigma" "$mean"
    best=$(printf '%s\n%s %s %s\n' "$best" "$mean" "$z" "$sigma" | sort -g -r | head -1)
done
read -r mean z sigma <<<"$best"
printf 'best: --outlier-z %s --outlier-sigma-mm %s (mean Dice %.3f over %d cases)\n' "$z" "$sigma" "$mean" "$count"
