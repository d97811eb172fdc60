# Shared by scripts/demo.sh and bench/node/latency.sh (sourced, not run): a private Orthanc as the PACS and the node
# on loopback ports with temporary storage, the sample CT study sent with DCMTK's storescu, and the wait for the SEG
# in Orthanc. Nothing is installed or configured outside the work folder; config files are not touched (the node gets
# its settings as --set overrides, which come last in the overlay order, config/README.md).
#
# Environment (all optional):
#   MODEL=deploy/models/reference   model package for Inference:ModelDirectory (relative to the repository root)
#   DEMO_STUDY=dicom-samples/ct-synthetic/dicom   what storescu sends
#   DEMO_TIMEOUT=1800               seconds to wait for the SEG after the last instance was acknowledged
#   DEMO_IDLE=00:00:02              Storage:SeriesIdleTimeout (a series is complete after this much quiet)
#   DEMO_PROVIDERS=cuda,cpu         Inference:ExecutionProviders, in order (CUDA falls back to CPU with one log line)
#   DEMO_NO_BUILD=1                 use the CLI already built (src/DiffuGts.Cli/bin/Release/net10.0)
#   DEMO_KEEP=1                     keep the work folder (logs, spool, Orthanc storage); it is kept anyway on failure
#   ORTHANC_HTTP_PORT ORTHANC_DICOM_PORT NODE_PORT HEALTH_PORT   fixed ports instead of free ones
# Needs: the .NET SDK, DCMTK (storescu), Orthanc (/usr/sbin/Orthanc) and Debian's python3 with pydicom and numpy
# (scripts/setup.sh installs them).

DEMO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEMO_PY=/usr/bin/python3
DEMO_CLI="$DEMO_ROOT/src/DiffuGts.Cli/bin/Release/net10.0/diffugts"
DEMO_ORTHANC=/usr/sbin/Orthanc
DEMO_AET=ORTHANC
MODEL=${MODEL:-deploy/models/reference}
DEMO_STUDY=${DEMO_STUDY:-dicom-samples/ct-synthetic/dicom}
DEMO_TIMEOUT=${DEMO_TIMEOUT:-1800}
DEMO_IDLE=${DEMO_IDLE:-00:00:02}
DEMO_PROVIDERS=${DEMO_PROVIDERS:-cuda,cpu}
DEMO_WORK=""
DEMO_FAILED=""
NODE_PID=""
ORTHANC_PID=""

demo_log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Prints the message (and where the logs are), marks the run failed and exits with the given code.
demo_fail() {
    local code=$1
    shift
    echo "${0##*/}: $*" >&2
    DEMO_FAILED=yes
    exit "$code"
}

demo_free_port() {
    "$DEMO_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

demo_now() { date +%s.%N; }

# Checks the peers, then builds the CLI in Release (skipped with DEMO_NO_BUILD=1).
demo_build() {
    local missing=()
    command -v dotnet >/dev/null || missing+=("the .NET SDK (dotnet)")
    command -v storescu >/dev/null || missing+=("DCMTK (storescu)")
    [[ -x $DEMO_ORTHANC ]] || missing+=("Orthanc ($DEMO_ORTHANC)")
    "$DEMO_PY" -c 'import pydicom, numpy' 2>/dev/null || missing+=("Debian's python3-pydicom and python3-numpy")
    ((${#missing[@]} == 0)) || demo_fail 2 "missing: ${missing[*]}; run scripts/setup.sh first"
    [[ -f $DEMO_ROOT/$MODEL/manifest.json || -f $MODEL/manifest.json ]] ||
        demo_fail 2 "no model package at $MODEL (manifest.json missing); set MODEL=deploy/models/tiny/reference-tiny to try the plumbing"
    [[ -d $DEMO_ROOT/$DEMO_STUDY || -d $DEMO_STUDY ]] || demo_fail 2 "no study at $DEMO_STUDY"
    if [[ -z ${DEMO_NO_BUILD:-} ]]; then
        demo_log "building the CLI (Release)"
        local log
        log=$(mktemp -t diffugts-build-XXXXXX.log)
        dotnet build "$DEMO_ROOT/src/DiffuGts.Cli" -c Release -v q -nologo >"$log" 2>&1 || { cat "$log" >&2; demo_fail 2 "build failed"; }
        rm -f "$log"
    fi
    [[ -x $DEMO_CLI ]] || demo_fail 2 "no CLI at $DEMO_CLI (build it with: dotnet build src/DiffuGts.Cli -c Release)"
}

# Stops the node, then Orthanc (SIGTERM, then SIGKILL after 30 s), and removes the work folder unless it is wanted.
demo_stop() {
    local pid name
    for name in NODE_PID ORTHANC_PID; do
        pid=${!name}
        [[ -n $pid ]] || continue
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && { echo "${name%_PID} did not stop within 30 s; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; }
        fi
        wait "$pid" 2>/dev/null || true
        printf -v "$name" '%s' ""
    done
    if [[ -n $DEMO_WORK ]]; then
        if [[ -n $DEMO_FAILED || -n ${DEMO_KEEP:-} ]]; then
            echo "work folder kept: $DEMO_WORK (node.log, orthanc.log, spool/)" >&2
        else
            rm -rf "$DEMO_WORK"
        fi
        DEMO_WORK=""
    fi
}

demo_on_exit() {
    local code=$?
    ((code == 0)) || DEMO_FAILED=yes
    demo_stop
    exit "$code"
}

# GET (or POST with a JSON body) on a loopback HTTP API; prints the body. Python's urllib: no curl needed.
demo_http() {
    "$DEMO_PY" - "$@" <<'PY'
import sys, urllib.request
url = sys.argv[1]
body = sys.argv[2].encode() if len(sys.argv) > 2 else None
with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as r:
    sys.stdout.buffer.write(r.read())
PY
}

# Waits until URL answers 200, while the process PID lives; fails with the log's tail otherwise.
demo_wait_http() {
    local url=$1 pid=$2 what=$3 log=$4 seconds=$5
    "$DEMO_PY" - "$url" "$pid" "$seconds" <<'PY' || { tail -n 30 "$log" >&2; demo_fail 3 "$what did not come up within $seconds s (log above: $log)"; }
import os, sys, time, urllib.request
url, pid, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.time() + seconds
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
PY
}

# Starts Orthanc and the node on loopback; sets DEMO_WORK, the ports, ORTHANC_PID and NODE_PID; stops both at exit.
demo_start() {
    DEMO_WORK=$(mktemp -d -t diffugts-demo-XXXXXX)
    trap demo_on_exit EXIT
    trap 'exit 130' INT TERM
    ORTHANC_HTTP_PORT=${ORTHANC_HTTP_PORT:-$(demo_free_port)}
    ORTHANC_DICOM_PORT=${ORTHANC_DICOM_PORT:-$(demo_free_port)}
    NODE_PORT=${NODE_PORT:-$(demo_free_port)}
    HEALTH_PORT=${HEALTH_PORT:-$(demo_free_port)}

    # The same Orthanc configuration as the interop tests (tests/DiffuGts.Testing/OrthancProcess.cs).
    cat >"$DEMO_WORK/orthanc.json" <<JSON
{
  "Name": "DiffuGtsDemo",
  "StorageDirectory": "$DEMO_WORK/orthanc/storage",
  "IndexDirectory": "$DEMO_WORK/orthanc/index",
  "HttpPort": $ORTHANC_HTTP_PORT,
  "DicomPort": $ORTHANC_DICOM_PORT,
  "DicomAet": "$DEMO_AET",
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "Plugins": [],
  "DicomModalities": {}
}
JSON
    "$DEMO_ORTHANC" "$DEMO_WORK/orthanc.json" >"$DEMO_WORK/orthanc.log" 2>&1 &
    ORTHANC_PID=$!
    demo_wait_http "http://127.0.0.1:$ORTHANC_HTTP_PORT/system" "$ORTHANC_PID" Orthanc "$DEMO_WORK/orthanc.log" 60
    demo_log "Orthanc (the PACS) up: AE $DEMO_AET, DICOM 127.0.0.1:$ORTHANC_DICOM_PORT, REST http://127.0.0.1:$ORTHANC_HTTP_PORT"

    local providers=() i=0 p
    IFS=, read -ra providers <<<"$DEMO_PROVIDERS"
    local settings=(
        "Node:Port=$NODE_PORT" "Node:BindAddress=127.0.0.1" "Health:HttpPort=$HEALTH_PORT"
        "Storage:Root=$DEMO_WORK/spool" "Storage:SeriesIdleTimeout=$DEMO_IDLE"
        "Peers:PACS:AeTitle=$DEMO_AET" "Peers:PACS:Host=127.0.0.1" "Peers:PACS:Port=$ORTHANC_DICOM_PORT"
        "Inference:ModelDirectory=$MODEL" "Inference:SendNoFindingResult=true"
        "Export:InitialDelay=00:00:01" "Logging:Folder=$DEMO_WORK/logs"
    )
    for p in "${providers[@]}"; do settings+=("Inference:ExecutionProviders:$i=$p"); i=$((i + 1)); done
    local args=() s
    for s in "${settings[@]}"; do args+=(--set "$s"); done
    DIFFUGTS_CONTENT_ROOT="$DEMO_ROOT" "$DEMO_CLI" node run "${args[@]}" >"$DEMO_WORK/node.log" 2>&1 &
    NODE_PID=$!
    demo_log "node starting: model $MODEL, providers $DEMO_PROVIDERS (loading the model first)"
    demo_wait_http "http://127.0.0.1:$HEALTH_PORT/health/ready" "$NODE_PID" "the node" "$DEMO_WORK/node.log" 600
    demo_log "node up: AE DIFFUGTS on 127.0.0.1:$NODE_PORT, health http://127.0.0.1:$HEALTH_PORT/health"
    { "$DEMO_CLI" health --url "http://127.0.0.1:$HEALTH_PORT" || true; } | sed -n 's/^  model */          model: /p'
}

# Sends the study with storescu; DEMO_ACKED is the time the last instance was acknowledged (storescu has returned).
demo_send() {
    local study=$DEMO_STUDY
    [[ -d $study ]] || study=$DEMO_ROOT/$DEMO_STUDY
    local count
    count=$(find "$study" -type f | wc -l)
    demo_log "sending $count instances of $DEMO_STUDY with storescu"
    storescu -aet DEMO -aec DIFFUGTS +sd +r 127.0.0.1 "$NODE_PORT" "$study" >"$DEMO_WORK/storescu.log" 2>&1 ||
        { cat "$DEMO_WORK/storescu.log" >&2; demo_fail 1 "storescu failed"; }
    DEMO_ACKED=$(demo_now)
    demo_log "all $count instances acknowledged by the node"
}

# Waits for a SEG in Orthanc (polling its REST API every DEMO_POLL seconds), then for the node to record the delivery
# (SC overlays travel in the same association). Sets DEMO_SEG_AT (epoch seconds when the SEG was first seen).
demo_wait_results() {
    local found
    found=$("$DEMO_PY" - "$ORTHANC_HTTP_PORT" "$HEALTH_PORT" "$NODE_PID" "$DEMO_TIMEOUT" "${DEMO_POLL:-0.2}" <<'PY'
import json, os, sys, time, urllib.request
orthanc, health, pid, timeout, poll = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
def get(url, body=None):
    with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as r:
        return json.load(r)
find = json.dumps({"Level": "Series", "Query": {"Modality": "SEG"}}).encode()
deadline = time.time() + timeout
seen = None
while seen is None and time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        print("node-died"); sys.exit(1)
    if get(f"http://127.0.0.1:{orthanc}/tools/find", find):
        seen = time.time()
        break
    time.sleep(poll)
if seen is None:
    print("timeout"); sys.exit(1)
# The outbox item is marked delivered once every file of the job is stored.
while time.time() < deadline:
    report = get(f"http://127.0.0.1:{health}/health")
    if (report.get("Counters") or {}).get("DeliveriesOk", 0) >= 1:
        break
    time.sleep(poll)
print(f"{seen:.3f}")
PY
    ) || true
    case $found in
        node-died) tail -n 30 "$DEMO_WORK/node.log" >&2; demo_fail 3 "the node stopped before a SEG reached Orthanc (node log above)" ;;
        timeout | "")
            "$DEMO_CLI" health --url "http://127.0.0.1:$HEALTH_PORT" >&2 || true
            demo_fail 3 "timeout: no SEG reached Orthanc within $DEMO_TIMEOUT s after the last instance (node health above; raise DEMO_TIMEOUT on a slow machine)" ;;
    esac
    DEMO_SEG_AT=$found
    demo_log "SEG stored in Orthanc $(demo_seconds "$DEMO_ACKED" "$DEMO_SEG_AT") s after the last instance was acknowledged"
}

# Seconds from $1 to $2 (epoch seconds with fractions), three decimals.
demo_seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
