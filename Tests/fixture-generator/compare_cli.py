#!/usr/bin/env python3
"""Runs `notebooks analyze` on every fixture case (or on the directories given)
and compares its JSON with the reference's answers, field by field.

    python3 Tests/fixture-generator/compare_cli.py [--binary PATH] [CASE_DIR ...]

A case directory holds expected.json (from generate_fixtures.py); numbers must
agree to 1e-12 relative. A case with no log at all (empty_directory) must be
refused with exit 2, as the CLI refuses a mistyped path. The process-local fields (total_predictions and
error_rate of current_metrics, and its timestamp) are not compared.
"""
import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {("current_metrics", "total_predictions"), ("current_metrics", "error_rate"), ("current_metrics", "timestamp")}


def diff(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a.keys()) != list(b.keys()):
            out.append(f"{'/'.join(path)}: keys {list(a.keys())} != {list(b.keys())}")
            return
        for k in a:
            if tuple(path[-1:] + [k]) in SKIP and len(path) == 1:
                continue
            diff(a[k], b[k], path + [k], out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{'/'.join(path)}: length {len(a)} != {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, path + [str(i)], out)
    elif isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str) or a is None:
        if a != b or type(a) is not type(b):
            out.append(f"{'/'.join(path)}: {a!r} != {b!r}")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) != isinstance(b, int):
            out.append(f"{'/'.join(path)}: type {type(a).__name__} != {type(b).__name__}")
        elif not (a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-12 * max(abs(a), abs(b))):
            out.append(f"{'/'.join(path)}: {a!r} != {b!r}")
    else:
        out.append(f"{'/'.join(path)}: {a!r} != {b!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    parser.add_argument("cases", nargs="*")
    args = parser.parse_args()
    cases = [Path(c) for c in args.cases] or sorted(p for p in (ROOT / "Tests/MonitoringTests/Fixtures").iterdir() if p.is_dir())
    failures = 0
    for case in cases:
        expected = json.loads((case / "expected.json").read_text())
        run = subprocess.run([args.binary, "analyze", str(case), "--now", expected["now"], "--hours", str(expected["hours"])],
                             capture_output=True, text=True)
        monitor = case / "monitor"
        has_logs = any(p.name.split(".json")[0] in ("predictions", "metrics", "alerts")
                       for folder in (case, monitor) if folder.is_dir() for p in folder.iterdir() if ".json" in p.name
                       and p.name != "expected.json")
        if not has_logs:
            # The CLI refuses a directory with no logs (a mistyped path) where the reference reports
            # zeros; the library still reads it as the reference does (ReferenceFixtureTests).
            ok = run.returncode == 2 and "no monitor logs" in run.stderr and not run.stdout
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {case.name} (no logs: refused with exit {run.returncode}: {run.stderr.strip()})")
            continue
        if run.returncode != 0:
            print(f"FAIL {case.name}: exit {run.returncode}: {run.stderr.strip()}")
            failures += 1
            continue
        actual = json.loads(run.stdout)
        problems = []
        for key in ("current_metrics", "prediction_patterns", "confidence_analysis", "historical_metrics"):
            diff(expected[key], actual[key], [key], problems)
        status = "ok  " if not problems else "FAIL"
        failures += bool(problems)
        print(f"{status} {case.name}" + (f" ({run.stderr.strip()})" if run.stderr.strip() else ""))
        for p in problems[:10]:
            print("     ", p)
    print(f"{len(cases) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
