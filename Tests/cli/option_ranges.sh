#!/usr/bin/env bash
# Every numeric option that used to trap or run away (issue 12), and the duration
# parser's rejections: each must exit 2 with exactly one stderr line "notebooks: …",
# within a few seconds, without a signal.
#
#   Tests/cli/option_ranges.sh [path/to/notebooks]   (default .build/release/notebooks, else .build/debug/notebooks)
set -uo pipefail
cd "$(dirname "$0")/../.."
N=${1:-.build/release/notebooks}
[ -x "$N" ] || N=.build/debug/notebooks
[ -x "$N" ] || { echo "build notebooks first (swift build)"; exit 1; }
D=datasets/example-monitor
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

failures=0
expect_usage_error() {
    timeout 20 "$N" "$@" </dev/null >"$T/out" 2>"$T/err"
    local code=$? lines
    lines=$(wc -l <"$T/err")
    if [ "$code" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q '^notebooks: ' "$T/err"; then
        echo "ok    $*  ->  $(cat "$T/err")"
    else
        echo "FAIL  $*  ->  exit $code, $lines stderr lines: $(head -c 300 "$T/err")"
        failures=$((failures + 1))
    fi
}
expect_success() {
    timeout 60 "$N" "$@" </dev/null >"$T/out" 2>"$T/err"
    local code=$?
    if [ "$code" -eq 0 ]; then echo "ok    $*  ->  exit 0"; else echo "FAIL  $*  ->  exit $code: $(head -c 300 "$T/err")"; failures=$((failures + 1)); fi
}

# The reproducers of issue 12.
expect_usage_error analyze "$D" --hours 1e10
expect_usage_error record "$T/r" --interval 1e300
expect_usage_error record "$T/r" --cooldown 1e300
expect_usage_error record "$T/r" --interval 0.0001
expect_usage_error replay "$D" --interval 1e300s
expect_usage_error replay "$D" --every 1e300h
expect_usage_error simulate --scenario none --duration 1e300h --out "$T/s"
expect_usage_error simulate --scenario none --rate 1e300 --out "$T/s"
# The duration parser's rejections, through each command that takes a duration.
expect_usage_error replay "$D" --every 5x
expect_usage_error replay "$D" --every=-5s
expect_usage_error replay "$D" --every inf
expect_usage_error replay "$D" --every nan
expect_usage_error replay "$D" --cooldown 31d
expect_usage_error replay "$D" --interval 0.5s
expect_usage_error replay "$D" --speed 1e-300
expect_usage_error replay "$D" --speed=-1
expect_usage_error record "$T/r" --interval 2d
expect_usage_error record "$T/r" --cooldown=-1
expect_usage_error simulate --scenario none --duration 0s --out "$T/s"
expect_usage_error simulate --scenario none --duration 3651d --out "$T/s"
expect_usage_error simulate --scenario none --rate 10000 --duration 3650d --out "$T/s"
expect_usage_error simulate --scenario none --severity 1e9 --out "$T/s"
expect_usage_error simulate --scenario none --start 9999-12-31T00:00:00 --duration 2d --out "$T/s"
expect_usage_error heuristics --duration 1e300h
expect_usage_error heuristics --seeds 0
expect_usage_error heuristics --rate 1e300
expect_usage_error heuristics --sweep nan
# Other numeric options.
expect_usage_error analyze "$D" --hours 0
expect_usage_error analyze "$D" --hours nan
expect_usage_error analyze "$D" --capacity 0
expect_usage_error analyze "$D" --capacity 1000000000000
expect_usage_error bench load --records 0
expect_usage_error bench load --records 1000000000000
expect_usage_error bench aggregation --repeat 0
# Output paths are checked in validate(), before any work (a heuristics or nab run takes minutes): a path
# under a file (one level or more), an existing file, a parent where nothing can be created (/proc). Each must fail within seconds.
touch "$T/file"
for out in "$T/file/sub" "$T/file/a/b" "$T/file" "/proc/driftlab-out"; do
    expect_usage_error simulate --scenario none --duration 2m --rate 1 --out "$out"
    expect_usage_error heuristics --out "$out"
    expect_usage_error nab --out "$out"
done
expect_usage_error simulate --scenario none --out ""
# Usage errors are one line too.
expect_usage_error analyze "$D" --no-such-option
expect_usage_error analyze
# In range: the commands still run, and 1d means a day.
expect_success analyze "$D" --hours 87600 --now 2026-11-29T12:00:00
expect_success replay "$D" --every 1d --interval 90
expect_success simulate --scenario none --duration 2m --rate 1 --out "$T/ok"
expect_success simulate --scenario none --duration 2m --rate 1 --out "$T/new/nested/dir"
rows_day=$("$N" replay "$D" --every 1d --format json | wc -l)
rows_second=$("$N" replay "$D" --every 1s --format json | wc -l)
if [ "$rows_day" -lt "$rows_second" ]; then echo "ok    replay --every 1d prints fewer rows ($rows_day) than --every 1s ($rows_second)"
else echo "FAIL  replay --every 1d printed $rows_day rows, --every 1s $rows_second"; failures=$((failures + 1)); fi

if [ "$failures" -gt 0 ]; then echo "$failures failures"; exit 1; fi
echo "all option checks passed"
