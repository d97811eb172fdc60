#!/usr/bin/env bash
# Zero-shot benchmark (issue 5): phantom cases in the benchmark layout, methods a–e side by side, table into README.md.
#   scripts/benchmark-zero-shot.sh            24 seen + 24 unseen cases, 128x128x64 voxels at 3 mm (the training phantoms' grid: a 384 mm field of view; the 1.5 mm reference package resamples them), the reference package
#   MODEL=DIR                                 model package (default deploy/models/reference)
#   SEEN=N UNSEEN=N                           case counts (default 24 and 24; 12 and 12 until 2026-11-30)
#   SIZE=XxYxZ SPACING=MM                     phantom grid (default 128x128x64 at 3 mm: the training field of view of 384 mm; a smaller grid crops the body)
#   METHODS=a,b,c,d,e SEED=S                  eval methods and seed (default all five, seed 0)
#   FIRST_SEED=N                              first phantom seed (default 1001, the benchmark's); another range, e.g. 9101, makes a
#                                             set disjoint from the benchmark for choosing between packages (README=another file)
#   RESIDUAL_THRESHOLD=T                      b's and d's residual threshold τ (default 0.015: d's best on the 21 validation phantoms with the shipped package 0.6.0, calibrate.py pass 3; docs/evaluation.md)
#   OUT=DIR                                   data and results (default out/zero-shot-<package folder name>, one per package; finished (method, case) pairs are kept)
#   README=FILE                               file whose table is rewritten (default README.md)
# Seen = liver, spleen and pancreas lesions of the trained kinds (hypodense, hyperdense, rim-enhancing, infiltrative);
# unseen = kidney lesions (held-out organ) and cystic lesions (held-out kind), as train.py holds them out. Phantom seeds
# start at FIRST_SEED, 1001 by default (training uses 1..136, 5001..5240 and 7001..7180, calibration 3001+); a seed whose lesion does not fit in the field of view is skipped for the next.
# Only the text between <!-- zero-shot-benchmark:begin --> and <!-- zero-shot-benchmark:end --> is replaced; the
# script stops before any work when the markers are missing. Run it nice'd on a shared machine.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/benchmark-common.sh"
model=${MODEL:-deploy/models/reference}
seen=${SEEN:-24}
unseen=${UNSEEN:-24}
size=${SIZE:-128x128x64}
spacing=${SPACING:-3}
methods=${METHODS:-a,b,c,d,e}
seed=${SEED:-0}
residual_threshold=${RESIDUAL_THRESHOLD:-0.015}
first_seed=${FIRST_SEED:-1001}
seed_range=$([[ $first_seed == 1001 ]] || echo "$first_seed") # empty for the benchmark's own seeds
out=${OUT:-$root/out/zero-shot-$(basename "$model")${seed_range:+-seed$seed_range}}
readme=${README:-$root/README.md}
begin='<!-- zero-shot-benchmark:begin -->'
end='<!-- zero-shot-benchmark:end -->'
command_line="$(printf '%s ' MODEL="$model" SEEN="$seen" UNSEEN="$unseen" SIZE="$size" SPACING="$spacing" METHODS="$methods" SEED="$seed" RESIDUAL_THRESHOLD="$residual_threshold")${seed_range:+FIRST_SEED=$seed_range }scripts/benchmark-zero-shot.sh"

cd "$root"
[[ -f $readme ]] || { echo "benchmark-zero-shot: $readme not found" >&2; exit 2; }
b=$(grep -c -F -x -- "$begin" "$readme" || true)
e=$(grep -c -F -x -- "$end" "$readme" || true)
if [[ $b != 1 || $e != 1 ]] || (($(grep -n -F -x -- "$begin" "$readme" | cut -d: -f1) > $(grep -n -F -x -- "$end" "$readme" | cut -d: -f1))); then
    echo "benchmark-zero-shot: $readme needs exactly one line '$begin' followed later by one line '$end'" >&2
    exit 2
fi
[[ -f $model/manifest.json ]] || { echo "benchmark-zero-shot: no model package at $model (manifest.json missing)" >&2; exit 2; }

started=$(date +%s)
mkdir -p "$out"
dotnet build src/DiffuGts.Cli -c Release -o "$out/bin" -v q -nologo >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 2; }
cli() { dotnet "$out/bin/diffugts.dll" "$@"; }
built=$(date +%s)

# 1. Cases. prompt_for ORGAN KIND: the generic wording a radiologist would type (the kind is not named).
prompt_for() {
    case $1:$2 in
        *:cystic) echo "$1 lesion" ;;
        liver:*) echo "liver tumor" ;;
        spleen:*) echo "spleen lesion" ;;
        pancreas:*) echo "pancreas mass" ;;
        kidney:*) echo "kidney mass" ;;
    esac
}
seen_organs=(liver spleen pancreas)
kinds=(hypodense hyperdense rim-enhancing infiltrative)
cyst_organs=(liver spleen pancreas kidney)
data="$out/data"
next_seed=$first_seed
make_case() { # ID CATEGORY ORGAN KIND
    local folder="$data/cases/$1" tmp="$data/tmp/$1"
    if [[ -f $folder/case.json ]]; then
        next_seed=$(($(jq -r .seed "$folder/case.json") + 1))
        return
    fi
    rm -rf "$tmp" && mkdir -p "$tmp"
    until cli phantom --out "$tmp" --seed "$next_seed" --size "$size" --spacing "$spacing" --lesion "$3:$4" --format nifti >"$tmp/phantom.log" 2>&1; do
        next_seed=$((next_seed + 1))
        ((next_seed < first_seed + 200)) || { cat "$tmp/phantom.log"; echo "benchmark-zero-shot: no seed fits $3:$4" >&2; exit 2; }
    done
    mkdir -p "$folder"
    mv "$tmp/image.nii.gz" "$folder/image.nii.gz"
    mv "$tmp/lesions.nii.gz" "$folder/lesion.nii.gz"
    mv "$tmp/labels.nii.gz" "$folder/organs.nii.gz"
    mv "$tmp/phantom.json" "$folder/phantom.json"
    benchmark_case_json "$folder/phantom.json" "$3" "$4" "$2" "$(prompt_for "$3" "$4")" "$next_seed" >"$folder/case.json.tmp"
    mv "$folder/case.json.tmp" "$folder/case.json"
    rm -rf "$tmp"
    next_seed=$((next_seed + 1))
}
for ((n = 0; n < seen; n++)); do
    organ=${seen_organs[$((n % 3))]} kind=${kinds[$((n % 4))]}
    make_case "$(printf 'seen-%02d-%s-%s' "$n" "$organ" "$kind")" seen "$organ" "$kind"
done
for ((n = 0; n < unseen; n++)); do
    if ((n % 2 == 0)); then organ=kidney kind=${kinds[$((n / 2 % 4))]}; else organ=${cyst_organs[$((n / 2 % 4))]} kind=cystic; fi
    make_case "$(printf 'unseen-%02d-%s-%s' "$n" "$organ" "$kind")" unseen "$organ" "$kind"
done
rm -rf "$data/tmp"
generated=$(date +%s)

# 2. Evaluation (exit 1 = some case failed: recorded in the results and the table).
status=0
cli eval "$data" --out "$out/results" --model "$model" --methods "$methods" --seed "$seed" --residual-threshold "$residual_threshold" --skip-existing -q | tee "$out/eval.log" || status=$?
((status <= 1)) || exit "$status"
evaluated=$(date +%s)

# 3. The README table, between the markers only (Debian's Python, standard library).
/usr/bin/python3 - "$readme" "$out/results/results.json" "$model/manifest.json" "$begin" "$end" "$command_line" "$(nproc)" \
    "$size" "$spacing" "$((generated - built))" "$((evaluated - generated))" "$out/results/report.md" "$first_seed" <<'PY'
import datetime, json, statistics, sys

readme, results, manifest, begin, end, command, nproc, size, spacing, gen_s, eval_s, report, first_seed = sys.argv[1:]
rows = json.load(open(results, encoding="utf-8"))
rows = rows["cases"] if isinstance(rows, dict) else rows
package = json.load(open(manifest, encoding="utf-8"))
methods = [("a", "organ-intensity-outlier"), ("b", "reconstruction-residual"), ("c", "aova"), ("d", "aova-residual"), ("e", "full-pipeline")]
# Rows of a model method from another package (an OUT shared between packages) would mix into the table unnamed.
stale = sorted({r["modelPackageVersion"] for r in rows if r["method"] != "organ-intensity-outlier"} - {f"{package['name']} {package['version']}"})
if stale:
    sys.exit(f"benchmark-zero-shot: {results} holds results of other packages ({', '.join(map(str, stale))}); use an OUT per package")


def summary(values, digits):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.fmean(values):.{digits}f} ± {sd:.{digits}f}"


def rate(values):
    values = [v for v in values if v is not None]
    return f"{statistics.fmean(values):.2f} ({len(values)})" if values else "–"


lines = [
    f"Zero-shot benchmark on synthetic CT phantoms (`diffugts phantom`, {size} voxels at {spacing} mm; seeds from {first_seed}, disjoint "
    f"from the training seeds (1–136, 5001–5240, 7001–7180 and retries above 100000) and the validation seeds 3001–3021). Command: `{command}`; {datetime.date.today().isoformat()}; {nproc} cores; package "
    f"`{package['name']} {package['version']}`; method run time {sum(r.get('runtimeSeconds') or 0 for r in rows) / 60:.1f} min in all "
    f"(this invocation: phantoms {int(gen_s) / 60:.1f} min, evaluation {int(eval_s) / 60:.1f} min; finished pairs are reused). "
    "Seen = liver, spleen and pancreas lesions of the trained kinds (hypodense, hyperdense, rim-enhancing, infiltrative); "
    "unseen = kidney lesions (held-out organ) and cystic lesions (held-out kind). Method a gets the target organ's mask as an oracle "
    "(its z and smoothing, the defaults of `diffugts eval`, were chosen on the 21 seen-category validation phantoms, seeds "
    "3001–3021, by scripts/tune-baseline-outlier.sh); the package's thresholds were calibrated on validation phantoms (its "
    "MODEL_CARD.md says which); b and d share the residual threshold τ of the command line, chosen on validation phantoms as "
    "d's best mean Dice; b runs with the package's inpainting strength (for package 0.4.0 a search of b's "
    "strength and τ on seven validation phantoms never exceeded a mean Dice of 0.004); "
    "b–e get only the image and the case's prompt. Mean ± SD over cases; lesion recall and precision are means over the "
    "cases where they are defined (count in brackets). Definitions: docs/evaluation.md.",
    "",
    "| Method | Category | n (failed) | Dice | NSD@2mm | HD95 (mm) | Lesion recall | Lesion precision |",
    "|---|---|---|---|---|---|---|---|",
]
for key, name in methods:
    for category in ("seen", "unseen"):
        cases = [r for r in rows if r["method"] == name and r["category"] == category]
        if not cases:
            continue
        ok = [r for r in cases if r["status"] == "ok"]
        lines.append(
            f"| {key} {name} | {category} | {len(cases)} ({len(cases) - len(ok)}) | {summary([r['dice'] for r in ok], 3)} | "
            f"{summary([r['nsd'] for r in ok], 3)} | {summary([r['hd95Mm'] for r in ok], 1)} | "
            f"{rate([r['lesionRecall'] for r in ok])} | {rate([r['lesionPrecision'] for r in ok])} |")
# The paired Dice differences (method − comparator, bootstrap interval) as `diffugts eval` wrote them into report.md.
heading = "## Paired differences in Dice"
paired = open(report, encoding="utf-8").read()
if heading in paired:
    paired = paired.split(heading, 1)[1].split("\n## ", 1)[0].strip()
    lines += ["", "**Paired differences in Dice** (the pipeline against both baselines; each step of the ablation against the one before). " + paired]
else:  # a run of one method, or of methods none of whose pairs the report compares
    lines += ["", "No paired differences: the report compares none of these methods' pairs."]
table = "\n".join(lines)
text = open(readme, encoding="utf-8").read()
head, rest = text.split(begin + "\n", 1)
_, tail = rest.split(end, 1)
with open(readme + ".tmp", "w", encoding="utf-8") as f:
    f.write(head + begin + "\n" + table + "\n" + end + tail)
import os
os.replace(readme + ".tmp", readme)
print(table)
PY
echo "benchmark-zero-shot: build $((built - started)) s, phantoms $((generated - built)) s, evaluation $((evaluated - generated)) s; table written to $readme"
exit "$status"
