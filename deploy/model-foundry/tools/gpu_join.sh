#!/usr/bin/env bash
# After the device: a UNet brought back by `tools/gpu_unet_experiment.py run` (unet-NAME.pt) joined to the shipped
# package's other networks, the two refinement heads retrained on its residuals (they read H, which the UNet makes),
# and the candidate exported with 0.6.4's settings, ready for the selection rule (README, "0.6.0's head kept on the
# AOVA's candidate"): calibrate on the 21 validation phantoms, then the held-out-like set against the default.
#   deploy/model-foundry/tools/gpu_join.sh UNET.pt OUT_PACKAGE [VERSION]
# Needs tools/gpu_bundle.sh's phantoms (data/phantoms-3mm, data/lesions-3mm). Runs runs/join-NAME (the full head,
# r15a1kh's head command) and runs/join-NAME-px (d's head, without the feature residual): each reads the 376 cases
# (5 min) and trains (11 min for 0.6.4's heads) on 2 cores.
# HEAD_STEPS and HEAD_BANK (default 1000 and 512, as 0.6.4's heads) make a quick smoke of the chain.
set -euo pipefail
(($# >= 2)) || { sed -n '2,10p' "${BASH_SOURCE[0]}" >&2; exit 2; }
unet=$(readlink -m "$1") out=$(readlink -m "$2") version=${3:-0.7.0} # the caller's relative paths, before the cd
cd "$(dirname "${BASH_SOURCE[0]}")/.."
package=../models/reference
py=/usr/bin/python3
root=$(cd ../.. && pwd)
name=$(basename "$unet" .pt)
steps=${HEAD_STEPS:-1000} bank=${HEAD_BANK:-512}
[[ -f $unet ]] || { echo "gpu_join: $unet not found" >&2; exit 2; }
[[ -d data/lesions-3mm && -d data/phantoms-3mm ]] || { echo "gpu_join: run tools/gpu_bundle.sh first (the phantoms)" >&2; exit 2; }

# Both prompt templates for every organ and finding the foundry trains or holds out (README, "runs/prompt-embeddings.json").
mkdir -p runs
if [[ ! -f runs/prompt-embeddings.json ]]; then
    texts=()
    for organ in liver spleen pancreas kidney lung; do
        for finding in tumor lesion mass hypodense hyperdense rim-enhancing infiltrative cystic; do
            texts+=("a CT scan showing $organ $finding" "a CT scan of healthy tissue without $organ $finding")
        done
    done
    dotnet build "$root/src/DiffuGts.Cli" -c Release -v q -nologo >/dev/null
    dotnet "$root/src/DiffuGts.Cli/bin/Release/net10.0/diffugts.dll" embed-prompts --out runs/prompt-embeddings.json "${texts[@]}"
fi

heads() { # RUN [extra train.py options]: r15a1kh's head command from the package's networks and this UNet
    local run=$1
    shift
    until "$py" train.py --data data/phantoms-3mm data/lesions-3mm --run "$run" --crop 32 --seed 1234 \
        --model-spacing 1.5 --steps-vae 0 --steps-unet 0 --steps-aova 0 --steps-heads "$steps" --unet-crop 16 \
        --heads-bank "$bank" --heads-synthetic-fraction 0.5 --heads-negative-fraction 0.5 --heads-candidate-threshold 0.3 \
        --heads-anomaly-gain 0 --prompt-embeddings runs/prompt-embeddings.json --intensity-window -200 300 \
        --unseen-organs kidney lung --init-from "$package" --init-models autoencoder unet aova refinement \
        --init-unet-from "$unet" "$@"; do
        (($? == 3)) || exit 1 # 3: stopped at --max-minutes with a checkpoint; the same command resumes
    done
}
heads "runs/join-$name"
heads "runs/join-$name-px" --heads-without-feature-residual

"$py" export_onnx.py --checkpoint "runs/join-$name/final.pt" --out "$out" --version "$version" \
    --inpainting-samples 2 --inpainting-steps 15 --tile-overlap 0 --anomaly-threshold 0.9 \
    --anomaly-mask-threshold 0.95 --probability-threshold 0.98 --pixel-head "runs/join-$name-px/final.pt" \
    --pixel-head-probability-threshold 0.95 --inpainting-average latent
cat <<EOF
gpu_join: candidate $out (version $version). The selection rule, in this order:
  $py calibrate.py --package $out --cases data/validation --out runs/cal21-$name --anomaly-threshold 0.9 --residual-thresholds
  # it writes the candidate with the thresholds it chose to runs/cal21-$name/package; then the held-out-like set, e only:
  (cd ../.. && SEEN=0 UNSEEN=16 METHODS=e FIRST_SEED=9101 MODEL=deploy/model-foundry/runs/cal21-$name/package OUT=out/sel-$name README=/tmp/v.md scripts/benchmark-zero-shot.sh)
  (cd ../.. && SEEN=0 UNSEEN=16 METHODS=e FIRST_SEED=9101 OUT=out/sel-default README=/tmp/v.md scripts/benchmark-zero-shot.sh)
  $py tools/seed_spread.py default=../../out/sel-default/results $name=../../out/sel-$name/results
  (/tmp/v.md: a file holding the two marker lines of the README's table)
EOF
