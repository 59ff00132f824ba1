#!/usr/bin/env python3
"""Window metrics: DriftLab's `notebooks bench aggregation` against numpy doing the same work and
against the reference PredictionMonitor, on identical data, alternating in one run.

    python3 Benchmarks/compare/aggregation_vs_numpy.py [--sizes 10000 1000000 10000000] [--rounds 5] [--baseline OLD_BINARY]

For each size N it writes one monitor directory of N predictions inside the last five minutes
(the reference's log format), then times:
  - DriftLab: `notebooks bench aggregation --from DIR` (current metrics over the window, in process);
  - numpy: the same metrics on arrays already in memory (np.mean of confidence and processing time,
    np.percentile at 50/90/95/99, the four bucket edges, the label counts with np.bincount over
    integer codes (faster than np.unique over strings), the anomaly score's threshold counts) —
    what get_current_metrics computes, and nothing more (until 2026-11-29 16:00 it also took np.std
    of the confidences, which get_current_metrics does not compute);
  - the reference's get_current_metrics, for N up to --reference-max (it keeps 10,000 records, so
    its window is the same N records; it filters them by timestamp as DriftLab's window does);
  - with --baseline, a second DriftLab binary (an earlier build), alternating with the first in
    every round, so that before/after ratios come from the same machine load.
Prints medians and ratios; `OPENBLAS_NUM_THREADS=1` in the environment pins OpenBLAS to one thread.
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

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT.parent / "shared" / "reference"))
import prediction_monitor as pm  # noqa: E402

NOW = datetime(2026, 11, 29, 12, 0, 0)
LABELS = ["positive", "negative", "neutral", "mixed"]


class Frozen(datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW


def write_log(path, n, rng):
    conf = np.round(rng.beta(5, 2, n), 6)
    times = np.round(rng.lognormal(-1, 0.8, n), 6)
    labels = rng.integers(0, 4, n)
    start = np.datetime64(NOW.isoformat()) - np.timedelta64(299_999_999, "us")
    stamps = np.datetime_as_string(start + (np.arange(n) * (299_999_999 // n)).astype("timedelta64[us]"), unit="us")
    with open(path, "w") as f:
        for i in range(n):
            f.write('{"timestamp": "%s", "text_hash": "0123456789abcdef", "prediction": "%s", "confidence": %r, '
                    '"processing_time": %r, "model_version": "v1", "text_length": 42, "word_count": 7, '
                    '"client_id": null, "user_agent": null, "session_id": null}\n'
                    % (stamps[i], LABELS[labels[i]], float(conf[i]), float(times[i])))
    return conf, times, labels


def numpy_metrics(conf, times, codes):
    """numpy at its best: labels already integer codes (np.bincount), no string handling."""
    return (np.mean(conf), np.mean(times), np.percentile(times, [50, 90, 95, 99]),
            np.count_nonzero(conf < 0.5), np.count_nonzero(conf < 0.7), np.count_nonzero(conf < 0.8),
            np.count_nonzero(conf < 0.9), np.bincount(codes, minlength=4),
            np.count_nonzero(conf < 0.6), np.count_nonzero(times > 5.0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000, 10_000_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reference-max", type=int, default=10_000)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    parser.add_argument("--baseline", help="an earlier notebooks binary, timed alternating with --binary")
    args = parser.parse_args()
    rng = np.random.default_rng(11)
    pm.datetime = Frozen
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            monitor_dir = Path(tmp) / "monitor"
            monitor_dir.mkdir()
            conf, times, labels = write_log(monitor_dir / "predictions.json", n, rng)
            reference = pm.PredictionMonitor(Path(tmp)) if n <= args.reference_max else None
            driftlab, baseline, numpy_times, reference_times = [], [], [], []
            repeat = 50 if n <= 100_000 else 5

            def bench(binary):
                out = subprocess.run([binary, "bench", "aggregation", "--from", tmp, "--now", NOW.isoformat(),
                                      "--records", str(n), "--repeat", str(repeat)], capture_output=True, text=True, check=True)
                return json.loads(out.stdout)["median_seconds"]

            for _ in range(args.rounds):
                driftlab.append(bench(args.binary))
                if args.baseline:
                    baseline.append(bench(args.baseline))
                start = time.perf_counter()
                numpy_metrics(conf, times, labels)
                numpy_times.append(time.perf_counter() - start)
                if reference is not None:
                    start = time.perf_counter()
                    reference.get_current_metrics()
                    reference_times.append(time.perf_counter() - start)
            rows.append((n, statistics.median(driftlab), statistics.median(baseline) if baseline else None,
                         statistics.median(numpy_times), statistics.median(reference_times) if reference_times else None))
    print(f"window metrics, {args.rounds} alternating rounds, medians")
    if args.baseline:
        print("| records | DriftLab | baseline | numpy | reference | vs numpy | vs reference | baseline vs numpy | baseline vs reference |")
        print("|---|---|---|---|---|---|---|---|---|")
    else:
        print("| records | DriftLab | numpy | reference | vs numpy | vs reference |")
        print("|---|---|---|---|---|---|")
    for n, d, b, npy, ref in rows:
        ref_text = f"{ref * 1e3:.2f} ms" if ref else "–"
        ratio = f"{ref / d:.0f}x" if ref else "–"
        if b is None:
            print(f"| {n:,} | {d * 1e3:.3f} ms | {npy * 1e3:.3f} ms | {ref_text} | {npy / d:.1f}x | {ratio} |")
        else:
            base_ratio = f"{ref / b:.0f}x" if ref else "–"
            print(f"| {n:,} | {d * 1e3:.3f} ms | {b * 1e3:.3f} ms | {npy * 1e3:.3f} ms | {ref_text} | {npy / d:.1f}x | {ratio} "
                  f"| {npy / b:.1f}x | {base_ratio} |")


if __name__ == "__main__":
    main()
