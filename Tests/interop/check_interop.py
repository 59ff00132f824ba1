#!/usr/bin/env python3
"""Interop both ways between DriftLab's live monitor and the reference PredictionMonitor.

1. DriftLab writes: `notebooks record` records events into a fresh directory; the
   reference's load_historical_data must load every prediction and snapshot, and its
   metrics on that directory must equal `notebooks analyze` on it.
2. The reference writes: record_prediction/record_error plus one loop iteration; DriftLab's
   `notebooks analyze` must load it all and agree with the reference's metrics.

    python3 Tests/interop/check_interop.py [--binary .build/release/notebooks]
"""
import argparse
import json
import random
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT.parent / "shared" / "reference"))
sys.path.insert(0, str(ROOT / "Tests" / "fixture-generator"))
import prediction_monitor as pm  # noqa: E402
from compare_cli import diff, SKIP  # noqa: E402


def compare(directory, binary, now):
    """The reference (its clock frozen at `now`) and `notebooks analyze --now` on one directory."""
    real_datetime = pm.datetime

    class Frozen(real_datetime):
        @classmethod
        def now(cls, tz=None):
            return now

    pm.datetime = Frozen
    try:
        monitor = pm.PredictionMonitor(directory)
        expected = {
            "current_metrics": asdict(monitor.get_current_metrics()),
            "prediction_patterns": monitor.get_prediction_patterns(24),
            "confidence_analysis": monitor.get_confidence_analysis(),
            "historical_metrics": [asdict(m) for m in monitor.get_historical_metrics(24)],
        }
    finally:
        pm.datetime = real_datetime
    expected = json.loads(json.dumps(expected))  # as the reference would serialise it (int keys become strings)
    run = subprocess.run([binary, "analyze", str(directory), "--now", now.isoformat()],
                         capture_output=True, text=True, check=True)
    actual = json.loads(run.stdout)
    problems = []
    for key in expected:
        diff(expected[key], actual[key], [key], problems)
    return monitor, problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    args = parser.parse_args()
    rng = random.Random(5)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        # 1. DriftLab writes, the reference reads.
        base = Path(tmp) / "driftlab-wrote"
        events = [json.dumps({"prediction": rng.choice(["a", "b", "caf\u00e9"]), "confidence": rng.random(),
                              "processing_time": rng.lognormvariate(0, 1), "text": "some text %d" % i,
                              "session_id": "s%d" % i}) for i in range(500)]
        events.insert(250, json.dumps({"error_type": "timeout", "error_message": "upstream", "context": {"k": 1}}))
        subprocess.run([args.binary, "record", str(base), "--interval", "1"], input="\n".join(events) + "\n",
                       text=True, capture_output=True, check=True)
        now = datetime.now()
        monitor, problems = compare(base, args.binary, now)
        loaded = len(monitor.recent_predictions)
        ok = loaded == 500 and len(monitor.metrics_history) >= 1 and not problems
        failures += not ok
        print(("ok  " if ok else "FAIL") + f" reference loads DriftLab's logs: {loaded}/500 predictions, "
              f"{len(monitor.metrics_history)} snapshots; metrics agree: {not problems}")
        for p in problems[:10]:
            print("     ", p)

        # 2. The reference writes, DriftLab reads.
        base = Path(tmp) / "reference-wrote"
        writer = pm.PredictionMonitor(base)
        for i in range(350):
            writer.record_prediction(rng.choice(["x", "y"]), rng.random(), rng.random() * 8, "text %d" % i)
        writer.record_error("oops", "bad input")
        writer._process_prediction_batch()
        writer._append_to_log(writer.metrics_log_path, asdict(writer.get_current_metrics()))
        now = datetime.now()
        monitor, problems = compare(base, args.binary, now)
        run = subprocess.run([args.binary, "analyze", str(base), "--now", now.isoformat()], capture_output=True, text=True)
        total = json.loads(run.stdout)["current_metrics"]["total_predictions"]
        ok = not problems and total == 350 and not run.stderr
        failures += not ok
        print(("ok  " if ok else "FAIL") + f" DriftLab reads the reference's logs: {total}/350 predictions; "
              f"metrics agree: {not problems}")
        for p in problems[:10]:
            print("     ", p)
        # 3. `notebooks simulate` writes, the reference reads.
        base = Path(tmp) / "simulated"
        subprocess.run([args.binary, "simulate", "--scenario", "error-burst", "--seed", "5", "--rate", "0.4",
                        "--out", str(base)], capture_output=True, check=True)
        truth = json.loads((base / "ground_truth.json").read_text())
        end = datetime.fromisoformat(truth["end"])
        monitor, problems = compare(base, args.binary, end)
        loaded = len(monitor.recent_predictions)
        ok = loaded == truth["predictions"] and not problems
        failures += not ok
        print(("ok  " if ok else "FAIL") + f" reference loads `notebooks simulate`: {loaded}/{truth['predictions']} "
              f"predictions; metrics agree: {not problems}")
        for p in problems[:10]:
            print("     ", p)
    print(f"{3 - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
