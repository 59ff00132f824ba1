#!/usr/bin/env python3
"""Differential test: DriftLab's streaming detectors against River's, alarm for alarm.

Generates 64 random streams of varied kinds (Gaussian mean shifts of several sizes, seeds and
scales, variance changes, gradual drifts, stationary streams, Bernoulli error streams, heavy
tails, River's own {0,1}→{4..7} kind, repeated shifts; streams.py), runs River's ADWIN,
PageHinkley and KSWIN (seeded) on every stream at River's defaults and at varied parameters,
and River's binary DDM and EDDM on the Bernoulli streams, then runs DriftLab's
`notebooks detect --series FILE --detector NAME --param NAME=VALUE…` on the same values and
requires the same alarm indices for every (stream, detector, parameters). KSWIN runs on each
stream's first 1,000 values (River's form makes a scipy call per input). It also checks the
command line: one-line errors with exit code 2 for a missing file, a non-numeric row, an unknown
parameter or a bad value; timestamps returned as written; the directory mode still running.

    python3 Tests/differential/river_differential.py [--binary .build/release/notebooks] [--streams N]

Needs River (`pip install river`; installed here if missing). If River cannot be imported
and the package index cannot be reached, prints why and exits 0 (skipped). Any difference,
or a failure of the binary, exits 1.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))


def ensure_river() -> str | None:
    """River's version, installing it with pip if needed; None when the index is unreachable."""
    try:
        import river  # noqa: F401
    except ImportError:
        result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--retries", "1", "--timeout", "20", "river"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/").rstrip("/") + "/river/"
            try:
                urllib.request.urlopen(index, timeout=15).close()
            except Exception as error:  # noqa: BLE001
                print(f"SKIPPED: River is not installed and the package index ({index}) is unreachable ({error}).")
                return None
            print("FAILED: pip install river (the index is reachable):\n" + result.stderr[-2000:])
            sys.exit(1)
    import importlib

    importlib.invalidate_caches()
    try:
        river = importlib.import_module("river")
    except ImportError as error:
        print(f"FAILED: River was installed but cannot be imported by {sys.executable}: {error}")
        sys.exit(1)
    return river.__version__


def write_series(path: Path, values: list[float], style: int) -> None:
    """The stream as a file in one of the three layouts `--series` reads."""
    lines = [repr(v) for v in values]
    if style == 1:
        lines = ["value"] + lines
    elif style == 2:
        lines = ["timestamp,value"] + [f"2026-01-01 00:{i // 60 % 60:02d}:{i % 60:02d},{v}" for i, v in enumerate(lines)]
    path.write_text("\n".join(lines) + "\n")


def driftlab_alarms(binary: Path, path: Path, detector: str, params: dict) -> list[int]:
    command = [str(binary), "detect", "--series", str(path), "--detector", detector]
    for name, value in params.items():
        command += ["--param", f"{name}={value}"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    output = json.loads(result.stdout)
    assert output["detector"] == detector, output
    return [alarm["index"] for alarm in output["alarms"]]


def cli_checks(binary: Path, tmp: Path) -> list[str]:
    """`detect --series` and `--param` at the command line: errors are one line with exit code 2,
    timestamps come back as written, and the directory mode still runs."""
    import streams

    failures = []

    def run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(binary), "detect", *arguments], capture_output=True, text=True)

    bad = tmp / "bad.csv"
    bad.write_text("timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:01:00,abc\n")
    good = tmp / "good.csv"
    write_series(good, [0.0] * 500 + [5.0] * 500, 2)
    cases = [
        (("--series", str(tmp / "missing.csv")), "missing.csv"),
        (("--series", str(bad)), f"{bad}:3"),
        (("--series", str(good), "--detector", "adwin", "--param", "delt=0.1"), "delta"),
        (("--series", str(good), "--detector", "kswin", "--param", "alpha=high"), "alpha"),
        (("--series", str(good), "--detector", "page-hinkley", "--param", "mode=sideways"), "mode"),
    ]
    for arguments, mention in cases:
        result = run(*arguments)
        lines = result.stderr.strip().splitlines()
        if result.returncode != 2 or len(lines) != 1 or mention not in lines[0] or result.stdout:
            failures.append(f"detect {' '.join(arguments)}: exit {result.returncode}, stderr {result.stderr!r}")
    result = run("--series", str(good), "--detector", "page-hinkley", "--param", "lambda=20")
    try:
        output = json.loads(result.stdout)
        alarm = output["alarms"][0]
        expected = streams.river_alarms("page-hinkley", {"threshold": 20.0}, [0.0] * 500 + [5.0] * 500)
        if [a["index"] for a in output["alarms"]] != expected or alarm["timestamp"] != f"2026-01-01 00:{alarm['index'] // 60 % 60:02d}:{alarm['index'] % 60:02d}" \
                or not isinstance(alarm["score"], float):
            failures.append(f"detect --series {good}: {result.stdout.strip()} (River: {expected})")
    except (ValueError, KeyError, IndexError) as error:
        failures.append(f"detect --series {good}: {error}: {result.stdout!r} {result.stderr!r}")
    example = ROOT / "datasets" / "example-monitor"
    if example.exists():
        result = run(str(example), "--detector", "adwin", "--param", "delta=0.01")
        if result.returncode != 0 or "alarms" not in json.loads(result.stdout or "{}"):
            failures.append(f"detect {example} --detector adwin: exit {result.returncode}, {result.stderr.strip()}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    parser.add_argument("--streams", type=int, default=None, help="only the first N streams")
    args = parser.parse_args()

    version = ensure_river()
    if version is None:
        return 0
    import streams

    binary = Path(args.binary)
    if not binary.exists():
        print(f"building {binary} (swift build -c release --product notebooks)…", flush=True)
        subprocess.run(["swift", "build", "-c", "release", "--product", "notebooks"], cwd=ROOT, check=True)

    all_streams = streams.all_streams()[: args.streams]
    compared = matched = alarms_compared = runs_with_alarms = 0
    per_detector: dict[str, list[int]] = {}
    failures = []
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        cli_failures = cli_checks(binary, Path(tmp))
        print(f"command line: {'OK' if not cli_failures else f'{len(cli_failures)} failures'}", flush=True)
        failures += cli_failures
        for index, (name, values, binary_stream) in enumerate(all_streams):
            files = {}
            for detector, params in streams.configurations(index, binary_stream):
                data = values[: streams.KSWIN_PREFIX] if detector == "kswin" else values
                key = len(data)
                if key not in files:
                    files[key] = Path(tmp) / f"{name}-{key}.csv"
                    write_series(files[key], data, index % 3)
                expected = streams.river_alarms(detector, params, data)
                try:
                    actual = driftlab_alarms(binary, files[key], detector, params)
                except RuntimeError as error:
                    actual = None
                    failures.append(f"{name} {detector} {params}: {error}")
                compared += 1
                alarms_compared += len(expected)
                runs_with_alarms += bool(expected)
                counts = per_detector.setdefault(detector, [0, 0])
                counts[0] += 1
                if actual == expected:
                    matched += 1
                    counts[1] += 1
                elif actual is not None:
                    failures.append(f"{name} ({len(data)} values) {detector} {params}: River {expected}, DriftLab {actual}")
            print(f"[{index + 1}/{len(all_streams)}] {name}: {len(values)} values", flush=True)

    print(f"\nRiver {version}: {len(all_streams)} streams, {compared} runs, {matched} identical "
          f"({runs_with_alarms} runs with River alarms, {alarms_compared} River alarms in all; {time.time() - started:.0f} s)")
    for detector, (runs, same) in per_detector.items():
        print(f"  {detector}: {same}/{runs} runs with identical alarm indices")
    if failures:
        print(f"\nFAILED: {len(failures)} runs differ:")
        for failure in failures:
            print("  " + failure)
        return 1
    print("OK: every alarm index identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
