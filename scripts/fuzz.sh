#!/usr/bin/env bash
# Fuzzes one DiffuGts parser with SharpFuzz + afl++ for a bounded time and fails if afl-fuzz found a crash.
#   scripts/fuzz.sh [TARGET]      TARGET: part10 (default), rle, jpeg, pdu (the SCP's PDU reader and association)
#   FUZZ_SECONDS=60               how long afl-fuzz runs
#   FUZZ_OUT=DIR                  keep the build, corpus and findings there (default: a temp folder)
#   FUZZ_BUILD=DIR                use this Release build of tests/DiffuGts.Fuzz instead of building (scripts/test.sh)
# Needs: dotnet, afl-fuzz (Debian afl++), DCMTK (dump2dcm, dcmcrle, dcmcjpeg, dcmdump) for the seed corpus.
# A crash is any exception other than the target's typed format exception; each one is replayed and printed.
set -euo pipefail

target=${1:-part10}
seconds=${FUZZ_SECONDS:-60}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${FUZZ_OUT:-$(mktemp -d -t diffugts-fuzz-XXXXXX)}
project="$root/tests/DiffuGts.Fuzz"
mkdir -p "$out"
echo "fuzz: target=$target seconds=$seconds out=$out"

# 1. Build, then instrument the library under test (not the harness) with SharpFuzz's AFL edge coverage.
if [[ -n ${FUZZ_BUILD:-} ]]; then
    [[ -f $FUZZ_BUILD/DiffuGts.Fuzz.dll ]] || { echo "fuzz: no DiffuGts.Fuzz.dll in $FUZZ_BUILD"; exit 2; }
    rm -rf "$out/bin" && cp -r "$FUZZ_BUILD" "$out/bin"
else
    dotnet build "$project" -c Release -o "$out/bin" -v q -nologo >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 2; }
fi
# The instrumented code writes to AFL's shared memory, so seeding and replay use an uninstrumented copy (plain/).
rm -rf "$out/plain" && cp -r "$out/bin" "$out/plain"
libraries=("$out/bin/DiffuGts.Dicom.dll")
[[ $target == pdu ]] && libraries+=("$out/bin/DiffuGts.Dicom.Network.dll")
(cd "$project" && dotnet tool restore >/dev/null && for dll in "${libraries[@]}"; do dotnet tool run sharpfuzz "$dll"; done)

# 2. Seed corpus, made now: our own encoders/writer, plus files DCMTK compresses (not for pdu: our PDU writer's seeds).
seeds="$out/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
dotnet "$out/plain/DiffuGts.Fuzz.dll" --seeds "$target" "$seeds"
[[ $target == pdu ]] || "$root/tests/DiffuGts.Fuzz/make-dcmtk-seeds.sh" "$target" "$seeds" "$out/dcmtk"
echo "fuzz: $(ls "$seeds" | wc -l) seed(s)"

# 3. afl-fuzz on the uninstrumented dotnet host (-V stops after the given seconds; AFL_SKIP_BIN_CHECK because the
#    coverage map is written by the instrumented managed code, not by the host binary).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_TieredPGO=0
findings="$out/findings"
rm -rf "$findings"
afl-fuzz -V "$seconds" -t 10000 -m none -i "$seeds" -o "$findings" -- dotnet "$out/bin/DiffuGts.Fuzz.dll" "$target" \
    >"$out/afl.log" 2>&1 || { tail -40 "$out/afl.log"; echo "fuzz: afl-fuzz failed to run"; exit 2; }

stats="$findings/default/fuzzer_stats"
grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|edges_found)' "$stats" | sed 's/^/fuzz: /'
mapfile -t crashes < <(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null)
if ((${#crashes[@]} > 0)); then
    echo "fuzz: ${#crashes[@]} crash(es); replaying them in-process:"
    dotnet "$out/plain/DiffuGts.Fuzz.dll" --replay "$target" "${crashes[@]}" | head -60 || true
    exit 1
fi
echo "fuzz: no crash in ${seconds}s"
