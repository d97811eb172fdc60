#!/usr/bin/env bash
# Node latency benchmark (not a test): the demo's setup (scripts/demo-common.sh: a private Orthanc as the PACS, the
# node on loopback, the sample CT study sent by storescu), timed from the moment the last instance is acknowledged
# (storescu has returned) to the moment the SEG is stored in Orthanc (its REST API polled every 0.1 s), followed by the
# node's own per-stage latencies from its health report (`diffugts health`).
#   bench/node/latency.sh                                   the reference package, CUDA if present, else CPU
#   MODEL=deploy/models/tiny/reference-tiny bench/node/latency.sh
#   DEMO_IDLE=00:00:02 (default) is part of the figure: the node waits that long for more instances before it
#   releases the series. Other settings: scripts/demo-common.sh. Run it under `nice` on a shared machine.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/demo-common.sh"
DEMO_POLL=${DEMO_POLL:-0.1}

demo_build
demo_start
demo_send
demo_wait_results

echo
echo "model $MODEL, providers $DEMO_PROVIDERS, study $DEMO_STUDY, Storage:SeriesIdleTimeout $DEMO_IDLE, $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "last instance acknowledged -> SEG stored in Orthanc: $(demo_seconds "$DEMO_ACKED" "$DEMO_SEG_AT") s"
echo
echo "the node's stages (seconds; release = quiet time until the series is complete, segment.* = the segmenter's stages):"
{ "$DEMO_CLI" health --url "http://127.0.0.1:$HEALTH_PORT" || true; } | awk '/^  latency/ { on = 1; print; next } on && /^              [a-z]/ { print; next } { on = 0 }'
