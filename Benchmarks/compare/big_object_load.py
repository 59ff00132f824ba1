#!/usr/bin/env python3
"""Load time of one huge JSON object (issue 12: an error `context` with tens of thousands of
keys made every load quadratic). Writes a monitor directory whose alerts.json holds one error
record with a KEYS-key context, then times `notebooks analyze` on it (whole process, best of
REPEAT) and Python's own `json.loads` of the same line.

    python3 Benchmarks/compare/big_object_load.py [--keys 1000000] [--binary .build/release/notebooks]
"""
import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--binary", default=".build/release/notebooks")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        monitor = Path(tmp) / "monitor"
        monitor.mkdir()
        context = ", ".join(f'"key{i}": {i}' for i in range(args.keys))
        line = ('{"timestamp": "2026-11-29T11:00:00", "error_type": "timeout", "error_message": "big", '
                '"context": {' + context + "}}")
        (monitor / "alerts.json").write_text(line + "\n")
        (monitor / "predictions.json").write_text("")
        best_python = min(_time(lambda: json.loads(line)) for _ in range(args.repeat))
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = subprocess.run([args.binary, "analyze", tmp, "--now", "2026-11-29T12:00:00"],
                                    capture_output=True, text=True, check=True)
            runs.append(time.perf_counter() - start)
            assert "skipped" not in result.stderr, result.stderr  # the line was parsed, not skipped
        print(json.dumps({"keys": args.keys, "line_bytes": len(line), "notebooks_analyze_seconds": round(min(runs), 3),
                          "python_json_loads_seconds": round(best_python, 3)}))


def _time(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
