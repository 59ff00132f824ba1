#!/usr/bin/env bash
# Issue 13, "no silent wrong answers": a window capacity that cuts the 5-minute window or the restart is
# said on stderr with the --capacity that fits (analyze, replay, record on restart), and `record` fed
# from a file runs a final loop tick at the end of its input, so the alerts its records call for fire.
#
#   Tests/cli/no_silent_answers.sh [path/to/notebooks]   (default .build/release/notebooks, else .build/debug/notebooks)
set -uo pipefail
cd "$(dirname "$0")/../.."
N=${1:-.build/release/notebooks}
[ -x "$N" ] || N=.build/debug/notebooks
[ -x "$N" ] || { echo "build notebooks first (swift build)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
F=Tests/MonitoringTests/Fixtures/window_over_capacity   # 1,500 predictions in the 4.5 minutes before 12:00

failures=0
check() {  # check NAME CONDITION
    if eval "$2"; then echo "ok    $1"; else echo "FAIL  $1"; failures=$((failures + 1)); fi
}
per_minute() { python3 -c 'import json,sys; print(json.load(sys.stdin)["current_metrics"]["predictions_per_minute"])'; }

# analyze: the reference's deque(maxlen=500) figure, and the warning with the capacity that holds the day.
"$N" analyze "$F" --now 2026-11-29T12:00:00 --capacity 500 >"$T/out" 2>"$T/err"; rc=$?
check "analyze --capacity 500 exits 0" "[ $rc = 0 ]"
check "  shows the truncated figure (100 a minute, as the reference's deque(maxlen=500))" "[ \"\$(per_minute <'$T/out')\" = 100.0 ]"
check "  warns once on stderr with the capacity that fits" \
    "[ \$(wc -l <'$T/err') = 1 ] && grep -q 'dropped 1000 of the 1500 predictions.*use --capacity 1500' '$T/err'"
"$N" analyze "$F" --now 2026-11-29T12:00:00 --capacity 1500 >"$T/out" 2>"$T/err"; rc=$?
check "analyze --capacity 1500: 300 a minute, no warning" "[ $rc = 0 ] && [ \"\$(per_minute <'$T/out')\" = 300.0 ] && [ ! -s '$T/err' ]"

# replay: about 37 a second (the control's night-time level at --rate 50) for 8 minutes through the live
# window of 10,000, which holds 270 s: one live warning, suggesting about 11,100.
"$N" simulate --scenario none --rate 50 --duration 8m --seed 3 --out "$T/fast" 2>/dev/null
"$N" replay "$T/fast" --format json >"$T/out" 2>"$T/err"; rc=$?
check "replay of 50/s with the default capacity warns once, with a capacity that fits" \
    "[ $rc = 0 ] && [ \$(grep -c 'window capacity of 10000 holds only' '$T/err') = 1 ] && grep -Eq 'use --capacity 1[0-9]{4}\)' '$T/err'"
"$N" replay "$T/fast" --capacity 20000 --format json >"$T/out" 2>"$T/err"; rc=$?
check "replay --capacity 20000: no warning" "[ $rc = 0 ] && ! grep -q 'window capacity' '$T/err'"

# record on restart: 12,000 predictions stamped in the last four minutes, then a restart with the default capacity.
mkdir -p "$T/busy/monitor"
python3 - "$T/busy/monitor/predictions.json" <<'PY'
import json, sys
from datetime import datetime, timedelta
now = datetime.now()
with open(sys.argv[1], "w") as f:
    for i in range(12_000):
        ts = now - timedelta(seconds=240) + timedelta(microseconds=20_000 * i)
        f.write(json.dumps({"timestamp": ts.isoformat(), "text_hash": "%016x" % i, "prediction": "a", "confidence": 0.9,
                            "processing_time": 0.1, "model_version": "v1", "text_length": 1, "word_count": 1,
                            "client_id": None, "user_agent": None, "session_id": None}) + "\n")
PY
"$N" record "$T/busy" --no-loop </dev/null >"$T/out" 2>"$T/err"; rc=$?
check "record on restart warns that the capacity dropped 2000 of 12000, with --capacity 12000" \
    "[ $rc = 0 ] && grep -q 'dropped 2000 of the 12000 predictions of the load window.*(use --capacity 12000)' '$T/err'"
"$N" record "$T/busy" --no-loop --capacity 12000 </dev/null >"$T/out" 2>"$T/err"; rc=$?
check "record --capacity 12000: no warning" "[ $rc = 0 ] && ! grep -q 'capacity' '$T/err'"

# record fed from a file: the first tick sees an empty window; the final tick at the end of input raises the alert.
for i in $(seq 20); do echo '{"prediction": "a", "confidence": 0.3, "processing_time": 0.1, "text": "x"}'; done >"$T/low.jsonl"
"$N" record "$T/low" --interval 1h --format json <"$T/low.jsonl" >"$T/out" 2>"$T/err"; rc=$?
check "record runs a final tick at end of input: the low-confidence alert fires" \
    "[ $rc = 0 ] && grep -q '\"category\": \"confidence\"' '$T/out' && grep -q 'Low average confidence: 0.30' '$T/low/monitor/alerts.json'"
"$N" record "$T/low2" --no-loop --format json <"$T/low.jsonl" >"$T/out" 2>"$T/err"; rc=$?
check "record --no-loop: no tick, no alert" "[ $rc = 0 ] && [ ! -s '$T/out' ] && [ ! -s '$T/low2/monitor/alerts.json' ]"

if [ "$failures" -gt 0 ]; then echo "$failures failures"; exit 1; fi
echo "all no-silent-answer checks passed"
