#!/usr/bin/env bash
# Part 10 read benchmark: our reader beside DCMTK over the same files, in the same run.
#   scripts/bench-part10.sh               1,000 synthetic 512x512 16-bit CT files
#   BENCH_FILES=300 BENCH_REPEATS=3       fewer files on a busy machine; best of N timings (default 2)
#   BENCH_DIR=DIR                         keep the generated files there (default: a temp folder, removed afterwards)
# The files are written by our writer (Explicit VR Little Endian) and checked by dcmdump first. DCMTK runs in its best
# configuration for the job: one dcmdump process for all files (+sd), output to /dev/null; header scan stops before
# Pixel Data (+sb 7fe0,0010), full read loads every value (+M). dcmdump also formats its listing, which our reader does
# not: DCMTK's figures include that work, and its process start; ours are timed inside one process.
# Full read is measured two ways: DicomFile.Open(FileStream), and the file read into one uninitialised buffer and
# parsed with DicomFile.Open(bytes).
set -euo pipefail

count=${BENCH_FILES:-1000}
repeats=${BENCH_REPEATS:-2}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=${BENCH_DIR:+yes}
work=${BENCH_DIR:-$(mktemp -d -t diffugts-bench-XXXXXX)}
[[ -z $keep ]] && trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
files="$work/files"

dotnet build "$root/bench/DiffuGts.Benchmarks" -c Release -o "$work/bin" -v q -nologo >"$work/build.log" 2>&1 ||
    { cat "$work/build.log"; exit 2; }
bench() { dotnet "$work/bin/DiffuGts.Benchmarks.dll" "$@"; }

if [[ ! -d $files || $(ls "$files" | wc -l) -ne $count ]]; then
    rm -rf "$files"
    bench generate "$files" "$count" 512 >/dev/null
fi
dcmdump -q +sb 7fe0,0010 "$(ls -d "$files"/* | head -1)" >/dev/null || { echo "dcmdump rejects our files"; exit 1; }

# Best of $repeats wall-clock seconds for a command (the page cache is warm after the first run).
best() {
    local best=""
    for ((i = 0; i < repeats; i++)); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        best=$(awk -v a="$best" -v s="$start" -v e="$end" 'BEGIN { t = e - s; if (a == "" || t < a) a = t; printf "%.4f", a }')
    done
    echo "$best"
}

ours=$(bench part10 "$files" "$repeats")
ours_header=$(awk '/^ours header/ { sub("seconds=", "", $5); print $5 }' <<<"$ours")
ours_full=$(awk '/^ours full / { sub("seconds=", "", $5); print $5 }' <<<"$ours")
ours_memory=$(awk '/^ours full-memory/ { sub("seconds=", "", $5); print $5 }' <<<"$ours")
bytes=$(awk '/^ours full / { sub("bytes=", "", $4); print $4 }' <<<"$ours")
dcmtk_header=$(best dcmdump -q +sd +sb 7fe0,0010 "$files")
dcmtk_full=$(best dcmdump -q +sd +M "$files")

echo "Part 10 read, $count files of 512x512x16 bit ($((bytes / 1000000)) MB), best of $repeats, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
awk -v n="$count" -v b="$bytes" -v oh="$ours_header" -v of="$ours_full" -v om="$ours_memory" -v dh="$dcmtk_header" -v df="$dcmtk_full" 'BEGIN {
    printf "%-22s %10s %10s %12s %12s %10s\n", "measurement", "ours s", "DCMTK s", "ours MB/s", "DCMTK MB/s", "speed-up"
    printf "%-22s %10.3f %10.3f %12.0f %12.0f %9.2fx\n", "header scan", oh, dh, b / oh / 1e6, b / dh / 1e6, dh / oh
    printf "%-22s %10.3f %10.3f %12.0f %12.0f %9.2fx\n", "full read (Stream)", of, df, b / of / 1e6, b / df / 1e6, df / of
    printf "%-22s %10.3f %10.3f %12.0f %12.0f %9.2fx\n", "full read (bytes)", om, df, b / om / 1e6, b / df / 1e6, df / om
    printf "(header scan MB/s counts whole-file bytes; files/s: ours %.0f, DCMTK %.0f; speed-up = DCMTK time / our time)\n", n / oh, n / dh
}'
