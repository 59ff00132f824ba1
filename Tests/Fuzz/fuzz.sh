#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each one: first over its regression corpus (every
# input that ever crashed or hung; any failure fails the run), then fuzzing for FUZZ_SECONDS
# (default 60) from the seed corpus (the test fixtures) plus the regressions.
#
#   Tests/Fuzz/fuzz.sh [target ...]        (default: all four)
#   FUZZ_SECONDS=600 Tests/Fuzz/fuzz.sh FuzzJSON
#
# New crashes are written to out/fuzz/artifacts/; copy each into Regressions/<target>/ once fixed.
# The summary line of each target (runs, coverage) is appended to out/fuzz/summary.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(FuzzJSON FuzzPredictionLine FuzzTimestamp FuzzScenario)
OUT="$ROOT/out/fuzz"
# Swift's backtracer reads the crashed stack itself, which AddressSanitizer reports as a second error.
export SWIFT_BACKTRACE=enable=no
mkdir -p "$OUT/artifacts"

echo "== building the fuzz targets (debug, -sanitize=fuzzer,address)"
(cd "$HERE" && swift build -c debug -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "Cannot export local symbol" | tail -3)
BIN="$HERE/.build/debug"

# Seed corpora from the test fixtures (regenerated each run; small).
SEEDS="$OUT/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS"/{FuzzJSON,FuzzPredictionLine,FuzzTimestamp,FuzzScenario}
for log in "$ROOT"/Tests/MonitoringTests/Fixtures/*/monitor/*.json "$ROOT"/datasets/example-monitor/monitor/*.json; do
    [ -f "$log" ] || continue
    name=$(basename "$(dirname "$(dirname "$log")")")-$(basename "$log" .json)
    head -n 20 "$log" | awk -v a="$SEEDS/FuzzJSON/$name" -v b="$SEEDS/FuzzPredictionLine/$name" \
        '{ f = a "-" NR; printf "%s", $0 > f; close(f); g = b "-" NR; printf "%s", $0 > g; close(g) }'
done
for expected in "$ROOT"/Tests/MonitoringTests/Fixtures/*/expected.json; do
    cp "$expected" "$SEEDS/FuzzJSON/$(basename "$(dirname "$expected")")-expected"
done
sed -n 's/^{"text": "\([^"\\]*\)".*/\1/p' "$ROOT/Tests/MonitoringTests/PythonFixtures/fromisoformat.jsonl" \
    | awk -v d="$SEEDS/FuzzTimestamp" '{ f = d "/form-" NR; printf "%s", $0 > f; close(f) }'
cp "$ROOT"/datasets/scenarios/*.json "$SEEDS/FuzzScenario/"

status=0
for target in "${TARGETS[@]}"; do
    regressions="$HERE/Regressions/$target"
    corpus="$OUT/corpus/$target"
    mkdir -p "$corpus" "$regressions"
    shopt -s nullglob
    inputs=("$regressions"/*)
    shopt -u nullglob
    dict=()
    [ -f "$HERE/$target.dict" ] && dict=(-dict="$HERE/$target.dict")
    echo "== $target: the regression corpus (${#inputs[@]} inputs)"
    if [ ${#inputs[@]} -gt 0 ]; then
        if ! "$BIN/$target" -timeout=10 -rss_limit_mb=4096 "${inputs[@]}" >"$OUT/$target-regressions.log" 2>&1; then
            echo "   FAILED: see $OUT/$target-regressions.log"; tail -20 "$OUT/$target-regressions.log"; status=1; continue
        fi
    fi
    echo "== $target: fuzzing for ${SECONDS_PER_TARGET}s"
    if "$BIN/$target" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
        -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$target-" "$corpus" "$SEEDS/$target" "$regressions" \
        >"$OUT/$target.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$target.log" | grep -o '[0-9]*$' || echo "?")
        cov=$(grep -o 'cov: [0-9]*' "$OUT/$target.log" | tail -1 || true)
        echo "   ok: $runs runs, $cov" | tee -a "$OUT/summary.txt"
    else
        echo "   FAILED: see $OUT/$target.log and $OUT/artifacts/"; grep -A15 "ERROR\|Fatal error\|deadly signal" "$OUT/$target.log" | head -30
        status=1
    fi
done
exit $status
