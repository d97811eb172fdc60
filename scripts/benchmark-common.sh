# Shared by scripts/benchmark-zero-shot.sh and scripts/tune-baseline-outlier.sh (sourced, not run): the case.json of
# one phantom in the zero-shot benchmark layout (docs/evaluation.md).

# benchmark_case_json PHANTOM_JSON ORGAN KIND CATEGORY PROMPT SEED: the case.json on stdout. organLabelValues are the
# organ's values in the phantom's labels, by the names phantom.json lists (baseline (a)'s organ mask): a kidney is its
# cortex and medulla, any other organ the capitalised organ name.
benchmark_case_json() {
    local names
    case $2 in
        kidney) names='["KidneyCortex","KidneyMedulla"]' ;;
        *) names="[\"${2^}\"]" ;;
    esac
    jq --arg organ "$2" --arg kind "$3" --arg category "$4" --arg prompt "$5" --argjson seed "$6" --argjson names "$names" \
        '{organ: $organ, lesionKind: $kind, category: $category, prompt: $prompt, seed: $seed,
          organLabelValues: [.labels[] | select(.name as $n | $names | index($n)) | .id]}' "$1"
}
