#!/usr/bin/env python3
"""Recording throughput: DriftLab's PredictionMonitor against the reference's record_prediction,
on the same events, alternating in one run.

    python3 Benchmarks/compare/record_vs_reference.py [--events N] [--rounds R] [--binary PATH]

The reference records into a fresh directory (its log written every 100 records, one open per
line); DriftLab runs `notebooks bench ingest --events FILE`, with its durable log and --in-memory.
"""
import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT.parent / "shared" / "reference"))
import prediction_monitor as pm  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    args = parser.parse_args()
    rng = random.Random(3)
    words = ["the", "model", "said", "this", "review", "was", "great", "awful", "fine", "ok"]
    events = [{"prediction": rng.choice(["positive", "negative", "neutral"]), "confidence": rng.random(),
               "processing_time": rng.lognormvariate(-1, 0.8),
               "text": " ".join(rng.choice(words) for _ in range(rng.randrange(3, 30)))} for _ in range(args.events)]
    ref, durable, memory = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        path.write_text("".join(json.dumps(e) + "\n" for e in events))
        for r in range(args.rounds):
            monitor = pm.PredictionMonitor(Path(tmp) / f"ref{r}")
            start = time.perf_counter()
            for e in events:
                monitor.record_prediction(e["prediction"], e["confidence"], e["processing_time"], e["text"])
            ref.append(time.perf_counter() - start)
            for flags, out in (([], durable), (["--in-memory"], memory)):
                run = subprocess.run([args.binary, "bench", "ingest", "--events", str(path), "--repeat", "3"] + flags,
                                     capture_output=True, text=True, check=True)
                out.append(json.loads(run.stdout)["median_seconds"])
    n = args.events
    rows = [("reference record_prediction", statistics.median(ref)),
            ("DriftLab, durable log", statistics.median(durable)),
            ("DriftLab, in memory", statistics.median(memory))]
    print(f"{n} events, {args.rounds} alternating rounds, medians")
    print("| recorder | records/s | vs reference |")
    print("|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {n / seconds:,.0f} | {rows[0][1] / seconds:.0f}x |")


if __name__ == "__main__":
    main()
