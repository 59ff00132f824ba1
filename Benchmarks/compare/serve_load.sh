#!/usr/bin/env bash
# Load on `notebooks serve` over loopback with wrk (Debian's), side by side with in-process
# recording (`notebooks bench ingest`, PredictionMonitor.recordPrediction with the durable log)
# on the same predictions, alternating, in one run.
#
#   1. batched: POST /v1/predictions with 1,000 JSON lines per request (predictions/s);
#   2. single: one prediction per POST, paced at ~2,000 requests/s (CONNECTIONS=22 connections, each waiting
#      10 ms between requests), wrk's latency percentiles; and the same pacing on GET /healthz,
#      the floor that the HTTP stack and the machine set (no monitor work).
#
# Usage: Benchmarks/compare/serve_load.sh [ROUNDS=3] [SECONDS=10]   (after `make release`)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
BIN=.build/release/notebooks
[ -x "$BIN" ] || { echo "serve_load: build first (make release)" >&2; exit 2; }
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null

WORK=$(mktemp -d /tmp/driftlab-serve-load.XXXXXX)
SERVE_PID=""
cleanup() {
    if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The same predictions for both sides: 1,000 varied lines (a batch), and 200 batches for in-process.
python3 - "$WORK" <<'PY'
import json, random, sys
work = sys.argv[1]
rng = random.Random(7)
labels = ["positive", "negative", "neutral", "mixed"]
lines = []
for i in range(1000):
    lines.append(json.dumps({"prediction": rng.choice(labels), "confidence": round(rng.betavariate(8, 2), 6),
                             "processing_time": round(rng.lognormvariate(-2, 0.6), 6),
                             "text": f"synthetic request text number {i} for the benchmark", "model_version": "v1"}))
batch = "\n".join(lines) + "\n"
open(f"{work}/batch.jsonl", "w").write(batch)
open(f"{work}/events.jsonl", "w").write(batch * 200)
single = lines[0]
lua = lambda body: f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\nwrk.headers["Content-Type"] = "application/json"\n'
open(f"{work}/batch.lua", "w").write(lua(batch))
open(f"{work}/single.lua", "w").write(lua(single) + "function delay()\n  return 10\nend\n")
open(f"{work}/healthz.lua", "w").write("function delay()\n  return 10\nend\n")
PY

start_serve() {
    rm -rf "$WORK/monitor-dir"
    : > "$WORK/serve.log"    # truncated here, not in the child, so no old port is read
    "$BIN" serve "$WORK/monitor-dir" --listen 127.0.0.1:0 2> "$WORK/serve.log" &
    SERVE_PID=$!
    for _ in $(seq 100); do
        PORT=$(sed -n 's/.*on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/serve.log")
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    echo "serve_load: serve did not start: $(cat "$WORK/serve.log")" >&2
    exit 2
}
stop_serve() {
    curl -s -X POST "http://127.0.0.1:$PORT/v1/flush" > /dev/null
    kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
}

echo "round | in-process records/s | serve batched predictions/s | ratio | single POST req/s | p50 | p90 | p99 | GET /healthz p50 | p99"
for round in $(seq "$ROUNDS"); do
    inproc=$("$BIN" bench ingest --events "$WORK/events.jsonl" --repeat 3 --format json \
             | python3 -c 'import json,sys; r=json.load(sys.stdin); print(int(r["records"]/r["median_seconds"]))')
    start_serve
    wrk -t2 -c4 -d2s -s "$WORK/batch.lua" "http://127.0.0.1:$PORT/v1/predictions" > /dev/null   # warm-up
    batched=$(wrk -t2 -c4 -d"${SECONDS_PER_RUN}s" -s "$WORK/batch.lua" "http://127.0.0.1:$PORT/v1/predictions" \
              | awk '/Requests\/sec/ {printf "%d", $2 * 1000}')
    stop_serve
    start_serve
    single=$(wrk -t2 -c"${CONNECTIONS:-22}" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/single.lua" "http://127.0.0.1:$PORT/v1/predictions")
    floor=$(wrk -t2 -c"${CONNECTIONS:-22}" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/healthz.lua" "http://127.0.0.1:$PORT/healthz")
    stop_serve
    rps=$(echo "$single" | awk '/Requests\/sec/ {printf "%d", $2}')
    p50=$(echo "$single" | awk '$1 == "50%" {print $2}')
    p90=$(echo "$single" | awk '$1 == "90%" {print $2}')
    p99=$(echo "$single" | awk '$1 == "99%" {print $2}')
    f50=$(echo "$floor" | awk '$1 == "50%" {print $2}')
    f99=$(echo "$floor" | awk '$1 == "99%" {print $2}')
    ratio=$(python3 -c "print(f'{$batched / $inproc:.2f}')")
    echo "$round | $inproc | $batched | $ratio | $rps | $p50 | $p90 | $p99 | $f50 | $f99"
done
