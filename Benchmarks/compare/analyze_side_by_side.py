#!/usr/bin/env python3
"""`notebooks analyze` of two builds side by side on one generated directory: the output
must be byte-identical, and the wall times (alternating runs) are reported as medians.

Written for issue 13 (the results became Codable and are encoded through one encoder): the
directory stresses the encoding, 10,000 predictions in the 5-minute window with 5,000
distinct labels (a 5,000-key prediction_distribution) and 1,440 metrics snapshots in the
history.

    python3 Benchmarks/compare/analyze_side_by_side.py --base OLD/notebooks --new .build/release/notebooks [--runs 15]
"""
import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 29, 12, 0, 0)


def write_directory(base):
    monitor = base / "monitor"
    monitor.mkdir(parents=True)
    rng = random.Random(1)
    with open(monitor / "predictions.json", "w") as f:
        for i in range(10_000):
            t = NOW - timedelta(seconds=290) + timedelta(microseconds=i * 29_000)
            f.write(json.dumps({"timestamp": t.isoformat(), "text_hash": "%016x" % i, "prediction": f"label-{i % 5000}",
                                "confidence": rng.random(), "processing_time": rng.random(), "model_version": "v1",
                                "text_length": 10, "word_count": 2, "client_id": None, "user_agent": None,
                                "session_id": None}) + "\n")
    with open(monitor / "metrics.json", "w") as f:
        for i in range(1440):
            t = NOW - timedelta(minutes=1440 - i)
            f.write(json.dumps({"timestamp": t.isoformat(), "total_predictions": i, "predictions_per_minute": 1.5,
                                "avg_confidence": 0.8, "avg_processing_time": 0.2,
                                "confidence_distribution": {"very_low": 1, "low": 2, "medium": 3, "high": 4, "very_high": 5},
                                "prediction_distribution": {f"l{j}": j for j in range(20)}, "error_rate": 0.0,
                                "response_time_percentiles": {"p50": 0.1, "p90": 0.2, "p95": 0.3, "p99": 0.4},
                                "anomaly_score": 0.0}) + "\n")


def run(binary, directory, fmt):
    start = time.perf_counter()
    out = subprocess.run([binary, "analyze", str(directory), "--now", NOW.isoformat(), "--format", fmt],
                         capture_output=True, check=True).stdout
    return time.perf_counter() - start, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--new", required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "big"
        write_directory(directory)
        failures = 0
        for fmt in ("json", "table"):
            times = {"base": [], "new": []}
            outputs = {}
            for _ in range(args.runs):
                for name in ("base", "new"):  # alternating
                    elapsed, out = run(getattr(args, name), directory, fmt)
                    times[name].append(elapsed)
                    outputs[name] = out
            same = outputs["base"] == outputs["new"]
            failures += not same
            print(f"analyze --format {fmt}: output {'byte-identical' if same else 'DIFFERS'} ({len(outputs['new'])} bytes); "
                  f"median of {args.runs}: base {statistics.median(times['base']) * 1e3:.1f} ms, "
                  f"new {statistics.median(times['new']) * 1e3:.1f} ms")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
