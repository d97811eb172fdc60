#!/usr/bin/env bash
# C-STORE receive benchmark: storescu sends one series of N instances (SIZE x SIZE, 16-bit) to our SCP (Part 10
# file-writing handler) and to DCMTK's storescp, in the same run; prints instances/s and the ratio.
# Both DCMTK processes get TCP_NODELAY=1 (dicom-facts, "Benchmarking"); storescu proposes uncompressed syntaxes only.
# Usage: bench/network/bench-store.sh            (N=500 SIZE=512 by default; N=100 for a busy machine)
set -euo pipefail
N=${N:-500}
SIZE=${SIZE:-512}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/diffugts-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

/usr/bin/python3 - "$WORK/series" "$N" "$SIZE" <<'PY'
import sys, os, numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
out, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out)
rng = np.random.default_rng(7)
for i in range(n):
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"; ds.SOPInstanceUID = f"2.25.9{i:06d}"
    ds.StudyInstanceUID = "2.25.91"; ds.SeriesInstanceUID = "2.25.92"; ds.Modality = "CT"; ds.PatientID = "BENCH"
    ds.InstanceNumber = i + 1; ds.Rows = size; ds.Columns = size; ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"; ds.BitsAllocated = 16; ds.BitsStored = 16; ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.PixelData = rng.integers(0, 4096, size * size, dtype=np.uint16).tobytes()
    fm = FileMetaDataset(); fm.MediaStorageSOPClassUID = ds.SOPClassUID; fm.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    fm.TransferSyntaxUID = ExplicitVRLittleEndian; ds.file_meta = fm
    ds.is_little_endian = True; ds.is_implicit_VR = False
    ds.save_as(os.path.join(out, f"{i:06d}.dcm"), write_like_original=False)
PY

dotnet build "$ROOT/bench/network/StoreScpBench" -c Release -v q -o "$WORK/bin" >/dev/null
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
send() { # $1 port, $2 called AE; prints seconds
  local t0 t1
  t0=$(date +%s.%N)
  TCP_NODELAY=1 storescu -aec "$2" -xe +sd 127.0.0.1 "$1" "$WORK/series"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

run_ours() { # $1 = "" or fsync
  local port out pid
  port=$(free_port); out="$WORK/ours-$RANDOM"
  dotnet "$WORK/bin/StoreScpBench.dll" "$port" "$out" $1 >/dev/null & pid=$!
  wait_port "$port"
  send "$port" DIFFUGTS
  kill $pid; wait $pid 2>/dev/null || true
  [ "$(ls "$out" | wc -l)" -eq "$N" ] || { echo "ours stored $(ls "$out" | wc -l)/$N" >&2; exit 1; }
}

run_dcmtk() {
  local port out pid
  port=$(free_port); out="$WORK/dcmtk-$RANDOM"; mkdir -p "$out"
  TCP_NODELAY=1 storescp -aet STORESCP -od "$out" "$port" & pid=$!
  wait_port "$port"
  send "$port" STORESCP
  kill $pid; wait $pid 2>/dev/null || true
  [ "$(ls "$out" | wc -l)" -eq "$N" ] || { echo "storescp stored $(ls "$out" | wc -l)/$N" >&2; exit 1; }
}

MB=$(du -sm "$WORK/series" | cut -f1)
echo "series: $N instances, ${SIZE}x${SIZE} 16-bit, ${MB} MB; machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
run_ours "" >/dev/null   # warm-up (JIT, page cache)
T_DCMTK=$(run_dcmtk)
T_OURS=$(run_ours "")
T_OURS_FSYNC=$(run_ours fsync)
printf "%-28s %8.2f s %8.1f inst/s\n" "storescp (no fsync)" "$T_DCMTK" "$(echo "$N / $T_DCMTK" | bc -l)"
printf "%-28s %8.2f s %8.1f inst/s\n" "DiffuGts SCP (no fsync)" "$T_OURS" "$(echo "$N / $T_OURS" | bc -l)"
printf "%-28s %8.2f s %8.1f inst/s\n" "DiffuGts SCP (fsync)" "$T_OURS_FSYNC" "$(echo "$N / $T_OURS_FSYNC" | bc -l)"
printf "ratio ours/storescp time (no fsync): %.2f\n" "$(echo "$T_OURS / $T_DCMTK" | bc -l)"
