#!/usr/bin/env python3
"""Generation throughput: `notebooks simulate` against a plain numpy generator of the same
distributions, alternating in one run.

    python3 Benchmarks/compare/simulate_vs_numpy.py [--records N] [--rounds R] [--binary PATH]

The numpy generator draws the same stream as the simulator's `compound` scenario without its
daily cycle or drift schedule (so it is, if anything, favoured): exponential inter-arrival gaps,
Bernoulli errors, labels from priors, Beta confidences per label, log-normal processing times
with a Pareto tail, Poisson word and character counts, random hashes, client and session ids.
"To memory" keeps numpy arrays; "to the log" also writes the reference's JSON lines.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
LABELS = np.array(["positive", "negative", "neutral"])
PRIORS = np.array([0.5, 0.3, 0.2])
ALPHA = np.array([9.0, 8.0, 5.0])
BETA = np.array([1.5, 1.8, 2.5])


def generate(n, rng):
    gaps = rng.exponential(1 / 2.0, n)
    stamps = np.cumsum(gaps)
    is_error = rng.random(n) < 0.005
    label = rng.choice(3, size=n, p=PRIORS)
    confidence = np.round(rng.beta(ALPHA[label], BETA[label]), 6)
    tail = rng.random(n) < 0.002
    times = np.where(tail, 1.5 * (1 + rng.pareto(1.6, n)), rng.lognormal(np.log(0.25), 0.6, n))
    words = 1 + rng.poisson(17, n)
    chars = 2 * words - 1 + rng.poisson(words * 4.0)
    hashes = rng.integers(0, 2**63, n)
    clients = rng.integers(0, 40, n)
    sessions = rng.integers(0, 2**48, n)
    return stamps, is_error, label, confidence, np.round(times, 6), words, chars, hashes, clients, sessions


def write_log(path, arrays):
    stamps, is_error, label, confidence, times, words, chars, hashes, clients, sessions = arrays
    start = np.datetime64("2026-01-05T00:00:00")
    iso = np.datetime_as_string(start + (stamps * 1e6).astype("timedelta64[us]"), unit="us")
    with open(path, "w") as f:
        for i in np.flatnonzero(~is_error):
            f.write(json.dumps({
                "timestamp": str(iso[i]), "text_hash": "%016x" % hashes[i], "prediction": str(LABELS[label[i]]),
                "confidence": float(confidence[i]), "processing_time": float(times[i]), "model_version": "v1",
                "text_length": int(chars[i]), "word_count": int(words[i]), "client_id": "client-%d" % clients[i],
                "user_agent": "curl/8.5", "session_id": "s-%012x" % sessions[i]}) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    args = parser.parse_args()
    results = {k: [] for k in ("numpy_memory", "numpy_log", "driftlab_memory", "driftlab_log")}
    produced = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            rng = np.random.default_rng(r)
            start = time.perf_counter()
            arrays = generate(args.records, rng)
            results["numpy_memory"].append(args.records / (time.perf_counter() - start))
            start = time.perf_counter()
            arrays = generate(args.records, rng)
            write_log(os.path.join(tmp, "p.json"), arrays)
            results["numpy_log"].append(args.records / (time.perf_counter() - start))
            for flags, key in ((["--in-memory"], "driftlab_memory"), ([], "driftlab_log")):
                run = subprocess.run([args.binary, "bench", "simulate", "--records", str(args.records), "--repeat", "3"] + flags,
                                     capture_output=True, text=True, check=True)
                out = json.loads(run.stdout)
                produced[key] = out["records"]
                results[key].append(out["records_per_second"])
    print(f"~{args.records} records, {args.rounds} alternating rounds, medians (records per second)")
    print("| generator | to memory | to the log |")
    print("|---|---|---|")
    nm, nl = statistics.median(results["numpy_memory"]), statistics.median(results["numpy_log"])
    dm, dl = statistics.median(results["driftlab_memory"]), statistics.median(results["driftlab_log"])
    print(f"| numpy (vectorised) | {nm:,.0f} | {nl:,.0f} |")
    print(f"| DriftLab simulator | {dm:,.0f} | {dl:,.0f} |")
    print(f"| DriftLab / numpy | {dm / nm:.2f}x | {dl / nl:.1f}x |")


if __name__ == "__main__":
    main()
