#!/usr/bin/env bash
# The package's public surface, as a client sees it (issue 13). Run after `swift build`
# from the repository root: Tests/api/public_surface.sh [BUILD_DIR]
#
# 1. Examples/EmbeddingApp type-checks against the built modules without the package's
#    name, so only `public` declarations are visible (what a client of the products sees).
# 2. A probe that names reference-format internals must fail to type-check, once per name.
# 3. The public types and symbols of each library module, from its symbol graph.
# 4. The DocC catalogue Sources/Monitoring/Monitoring.docc builds with the toolchain's docc,
#    with no warning about the catalogue's own pages (broken links, unknown symbols).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/.build/$(uname -m)-unknown-linux-gnu/debug}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mapfile -t MAPS < <(find "$BUILD" -name module.modulemap -not -path "*/include/*" | sed 's/^/-fmodule-map-file=/')
FLAGS=(-I "$BUILD/Modules" -Xcc "-fmodule-map-file=$ROOT/Sources/CBLAS/module.modulemap")
for map in "${MAPS[@]}"; do FLAGS+=(-Xcc "$map"); done
for include in /usr/include/*/openblas-pthread /usr/include/openblas; do
  [ -d "$include" ] && FLAGS+=(-Xcc "-I$include")
done

swiftc -typecheck "${FLAGS[@]}" "$ROOT/Examples/EmbeddingApp/Sources/EmbeddingApp/main.swift"
echo "ok: Examples/EmbeddingApp uses the public API only"

internals=("_ = try? JSONParser.parse(\"1\")" "_ = JSONWriter.string(.null)" "_ = PythonFloatFormat.repr(1)"
           "_ = StringDictionary()" "_ = PredictionColumns(capacity: 1)" "_ = MonitorState().columns"
           "_ = ThresholdCounts.self" "_ = (nil as MetricStreams?)?.labels")
probe() { printf 'import Monitoring\nimport MonitorNumerics\nimport DriftEvaluation\n%s\n' "$1" > "$TMP/probe.swift"; }
# The control: the same probe with a public name type-checks, so a failure below is access.
probe "_ = (nil as MonitorReport?)?.currentMetrics.responseTimePercentiles?.p99"
swiftc -typecheck "${FLAGS[@]}" "$TMP/probe.swift"
for line in "${internals[@]}"; do
  probe "$line"
  if swiftc -typecheck "${FLAGS[@]}" "$TMP/probe.swift" >/dev/null 2>&1; then
    echo "FAIL: a client can reach: $line" >&2
    exit 1
  fi
  errors=$(swiftc -typecheck "${FLAGS[@]}" "$TMP/probe.swift" 2>&1 || true)
  if ! grep -q "cannot find\|inaccessible\|protection level" <<<"$errors"; then
    echo "FAIL: '$line' fails for another reason than access" >&2
    exit 1
  fi
done
echo "ok: ${#internals[@]} internals are out of a client's reach"

for module in Monitoring MonitorNumerics DriftDetection DriftEvaluation TrafficSimulator; do
  swift-symbolgraph-extract -module-name "$module" -target "$(uname -m)-unknown-linux-gnu" \
    -minimum-access-level public -output-dir "$TMP" "${FLAGS[@]}" >/dev/null
done
mkdir -p "$TMP/monitoring"
cp "$TMP"/Monitoring.symbols.json "$TMP"/Monitoring@*.symbols.json "$TMP/monitoring/"
docc convert "$ROOT/Sources/Monitoring/Monitoring.docc" --additional-symbol-graph-dir "$TMP/monitoring" \
  --output-path "$TMP/doc" --fallback-display-name Monitoring --fallback-bundle-identifier org.driftlab.Monitoring \
  --analyze > "$TMP/docc.log" 2>&1
# docc names the catalogue's own pages by bare name (`--> GettingStarted.md:12`), sources by `../`.
if grep -qE -- "--> [A-Za-z][^ /]*\.md:" "$TMP/docc.log"; then
  grep -B1 -A3 -E -- "--> [A-Za-z][^ /]*\.md:" "$TMP/docc.log" >&2
  echo "FAIL: the DocC catalogue has warnings" >&2
  exit 1
fi
echo "ok: the DocC catalogue converts without warnings of its own"
python3 - "$TMP" <<'PY'
import collections, glob, json, sys
kinds = {"swift.struct", "swift.class", "swift.enum", "swift.protocol", "swift.typealias", "swift.actor"}
total_types = total_symbols = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.symbols.json")):
    if "@" in path:
        continue
    symbols = json.load(open(path))["symbols"]
    types = sum(1 for s in symbols if s["kind"]["identifier"] in kinds)
    total_types += types
    total_symbols += len(symbols)
    print(f"{path.split('/')[-1].split('.')[0]:18} {types:4} public types {len(symbols):5} public symbols")
print(f"{'all':18} {total_types:4} public types {total_symbols:5} public symbols")
PY
