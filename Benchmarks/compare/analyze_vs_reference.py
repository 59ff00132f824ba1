#!/usr/bin/env python3
"""Times DriftLab against the reference PredictionMonitor on the same data, in one run.

Writes a monitor directory of N predictions (default 10,000, all within the last
five minutes, in the reference's log format), then alternates, R rounds:
  - reference: get_current_metrics() on a PredictionMonitor that loaded the directory
    (its clock frozen), and load + the four analyses that `notebooks analyze` reports;
  - DriftLab: `notebooks bench aggregation --from DIR` (current metrics, in process), and
    the whole `notebooks analyze DIR` process (load + four analyses + process start).
Prints the medians and the ratios.

    python3 Benchmarks/compare/analyze_vs_reference.py [--records N] [--rounds R] [--binary PATH]
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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT.parent / "shared" / "reference"))
import prediction_monitor as pm  # noqa: E402

NOW = datetime(2026, 11, 29, 12, 0, 0)


class FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW


def write_log(directory, n, rng):
    monitor = directory / "monitor"
    monitor.mkdir(parents=True)
    with open(monitor / "predictions.json", "w") as f:
        for i in range(n):
            ts = NOW - timedelta(microseconds=299_999_999 - i * 299_999_999 // n)
            f.write(json.dumps({
                "timestamp": ts.isoformat(), "text_hash": "%016x" % rng.getrandbits(64),
                "prediction": rng.choice(["positive", "negative", "neutral", "mixed"]),
                "confidence": round(rng.betavariate(5, 2), 6), "processing_time": round(rng.lognormvariate(-1, 0.8), 6),
                "model_version": "v1", "text_length": 42, "word_count": 7,
                "client_id": None, "user_agent": None, "session_id": None}) + "\n")


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    args = parser.parse_args()
    pm.datetime = FrozenDatetime
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_log(directory, args.records, random.Random(7))
        now = NOW.isoformat()
        monitor = pm.PredictionMonitor(directory)
        assert len(monitor._get_recent_predictions(5)) == args.records
        ref_current, ref_full, dl_current, dl_full = [], [], [], []

        def reference_full():
            m = pm.PredictionMonitor(directory)
            m.get_current_metrics(); m.get_prediction_patterns(24); m.get_confidence_analysis()
            m.get_historical_metrics(24)

        for _ in range(args.rounds):
            ref_current.append(timed(monitor.get_current_metrics))
            out = subprocess.run([args.binary, "bench", "aggregation", "--from", str(directory), "--now", now,
                                  "--records", str(args.records), "--repeat", "50"],
                                 capture_output=True, text=True, check=True)
            dl_current.append(json.loads(out.stdout)["median_seconds"])
            ref_full.append(timed(reference_full))
            dl_full.append(timed(lambda: subprocess.run([args.binary, "analyze", str(directory), "--now", now],
                                                        capture_output=True, check=True)))
    rows = [
        ("current metrics (in process)", statistics.median(ref_current), statistics.median(dl_current)),
        ("load + 4 analyses (whole run)", statistics.median(ref_full), statistics.median(dl_full)),
    ]
    print(f"{args.records} records, {args.rounds} alternating rounds, medians")
    print(f"| work | reference | DriftLab | speed-up |")
    print(f"|---|---|---|---|")
    for name, ref, dl in rows:
        print(f"| {name} | {ref * 1e3:.3f} ms | {dl * 1e3:.3f} ms | {ref / dl:.0f}x |")


if __name__ == "__main__":
    main()
