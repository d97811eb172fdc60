#!/usr/bin/env bash
# The README demo: a private Orthanc as the PACS, the node with the embedded reference model, the sample CT study sent
# by DCMTK's storescu, and the result read back from Orthanc: the SEG and SC series and instance UIDs, the segment
# labels, the findings (volume per segment, counted by pydicom in the stored SEG) and a PNG preview of an SC overlay
# rendered by Orthanc. Both servers are stopped at the end; the preview and the SEG stay in DEMO_OUT.
#   bash scripts/demo.sh                                   after scripts/setup.sh, on a fresh machine
#   MODEL=deploy/models/tiny/reference-tiny bash scripts/demo.sh    the plumbing with the random-weight test package
#   DEMO_OUT=DIR (default: a new temp folder); everything else: scripts/demo-common.sh.
# Exit 0 with the result printed; 1 send failed; 2 setup missing or build failed; 3 a server did not start, or no SEG
# within DEMO_TIMEOUT seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-common.sh"

started=$(demo_now)
DEMO_OUT=${DEMO_OUT:-$(mktemp -d -t diffugts-demo-out-XXXXXX)}
mkdir -p "$DEMO_OUT"

demo_build
demo_start
demo_send
demo_wait_results

"$DEMO_PY" - "$ORTHANC_HTTP_PORT" "$DEMO_OUT" <<'PY'
import io, json, sys, urllib.request
import numpy as np
import pydicom

orthanc, out = f"http://127.0.0.1:{sys.argv[1]}", sys.argv[2]
def get(path, raw=False, body=None):
    with urllib.request.urlopen(urllib.request.Request(orthanc + path, data=body), timeout=60) as r:
        return r.read() if raw else json.load(r)

series = [get(f"/series/{s}") for s in get("/series")]
seg = next(s for s in series if s["MainDicomTags"].get("Modality") == "SEG")
overlays = [s for s in series if s is not seg]
def instance_uids(s):
    return [get(f"/instances/{i}")["MainDicomTags"]["SOPInstanceUID"] for i in s["Instances"]]

print()
print(f"SEG series    {seg['MainDicomTags']['SeriesInstanceUID']}")
for uid in instance_uids(seg):
    print(f"  instance    {uid}")
for s in overlays:
    uids = instance_uids(s)
    print(f"SC series     {s['MainDicomTags']['SeriesInstanceUID']}  ({len(uids)} overlay instance(s), {s['MainDicomTags'].get('SeriesDescription', '')})")
    for uid in uids:
        print(f"  instance    {uid}")

# The findings, read independently from the SEG as Orthanc stored it (PS3.3 C.8.20): each frame belongs to one segment
# (Segment Identification Sequence); volume = set pixels x pixel spacing x slice spacing.
path = f"{out}/seg.dcm"
data = get(f"/instances/{seg['Instances'][0]}/file", raw=True)
open(path, "wb").write(data)
ds = pydicom.dcmread(io.BytesIO(data))
measures = ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0]
dy, dx = (float(v) for v in measures.PixelSpacing)
dz = float(getattr(measures, "SpacingBetweenSlices", None) or measures.SliceThickness)
frames = ds.pixel_array.reshape(int(getattr(ds, "NumberOfFrames", 1)), ds.Rows, ds.Columns) if "PixelData" in ds else np.zeros((0, 1, 1))
voxels, slices = {}, {}
for index, group in enumerate(getattr(ds, "PerFrameFunctionalGroupsSequence", [])):
    number = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
    count = int(np.count_nonzero(frames[index]))
    voxels[number] = voxels.get(number, 0) + count
    slices[number] = slices.get(number, 0) + (count > 0)
print()
print(f"segments      {len(ds.SegmentSequence)} (algorithm {ds.SegmentSequence[0].get('SegmentAlgorithmName', '?')})")
for segment in ds.SegmentSequence:
    n = int(segment.SegmentNumber)
    ml = voxels.get(n, 0) * dx * dy * dz / 1000.0
    finding = f"{ml:.1f} mL over {slices.get(n, 0)} slice(s)" if voxels.get(n, 0) else "nothing found"
    print(f"  {n}. {segment.SegmentLabel:<20} {finding}")
print(f"SEG file      {path}")

# The preview: Orthanc renders an SC overlay (a key slice with the outline and legend burned in) as PNG.
if overlays:
    ids = sorted(overlays[0]["Instances"], key=lambda i: int(get(f"/instances/{i}")["MainDicomTags"].get("InstanceNumber", "0") or 0))
    middle = ids[len(ids) // 2]
    png = f"{out}/preview.png"
    open(png, "wb").write(get(f"/instances/{middle}/preview", raw=True))
    print(f"PNG preview   {png}")
else:
    print("PNG preview   none: the node writes SC overlays only where it found something")
PY

demo_stop
demo_log "done in $(demo_seconds "$started" "$(demo_now)") s wall (build, start-up, send, segmentation, export)"
