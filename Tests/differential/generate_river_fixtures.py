#!/usr/bin/env python3
"""Writes Tests/DriftDetectionTests/Fixtures/river_alarms.json from River itself, for the Swift
unit tests that check DriftLab's detectors without Python (RiverFixtureTests):

- `streams`: a dozen streams (River's documentation stream, then kinds from streams.py), each
  with River's alarm indices for ADWIN, PageHinkley, KSWIN and (binary streams) DDM/EDDM at the
  parameters of streams.configurations (KSWIN on the first streams.KSWIN_PREFIX values);
- `python_random`: what `random.Random(seed)` draws (`sample`, `getrandbits`, `random`), for
  DriftLab's PythonRandom;
- `ks_2samp`: scipy.stats.ks_2samp's statistic and p-value on pairs of samples, for DriftLab's
  KolmogorovSmirnov.scipyTwoSample.

Run from anywhere: python3 Tests/differential/generate_river_fixtures.py (needs river, scipy).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import river
import scipy
from scipy import stats as scipy_stats

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import streams  # noqa: E402

OUT = HERE.parent / "DriftDetectionTests" / "Fixtures" / "river_alarms.json"


def stream_cases() -> list[dict]:
    rng = random.Random(12345)
    docs = [float(v) for v in rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)]
    cases = [("river-docs", docs, False, [("adwin", {}), ("page-hinkley", {}), ("kswin", {"alpha": 0.0001, "seed": 42})])]
    picks = [
        ("mean-shift", streams.mean_shift(11, 1000, 0.5, 1.0), False),
        ("mean-shift-scaled", streams.mean_shift(12, 1500, 0.3, -10.0, 5.0), False),
        ("variance-change", streams.variance_change(13, 1200, 0.5, 3.0), False),
        ("gradual", streams.gradual(14, 1500, 0.3, 0.8, 2.0), False),
        ("stationary", streams.stationary(15, 1500, "normal"), False),
        ("bernoulli-rise", streams.bernoulli(16, 2000, 0.5, 0.1, 0.3), True),
        ("bernoulli-fall", streams.bernoulli(17, 2000, 0.5, 0.3, 0.1), True),
        ("heavy-tail", streams.heavy_tail(18, 1500, 0.5, 3.0, "t2"), False),
        ("categorical", streams.categorical(19, 1200), False),
        ("multi-shift", streams.multi_shift(20, 2000, [0, 2, 0, 2]), False),
        ("lognormal", streams.heavy_tail(21, 1200, 0.5, 10.0, "lognormal"), False),
    ]
    for index, (name, values, binary) in enumerate(picks):
        cases.append((name, values, binary, streams.configurations(index, binary)))
    out = []
    for name, values, binary, configs in cases:
        runs = []
        for detector, params in configs:
            length = min(len(values), streams.KSWIN_PREFIX) if detector == "kswin" and name != "river-docs" else len(values)
            runs.append({"detector": detector, "params": {k: str(v) for k, v in params.items()}, "length": length,
                         "alarms": streams.river_alarms(detector, params, values[:length])})
        out.append({"name": name, "values": values, "runs": runs})
    return out


def python_random_cases() -> list[dict]:
    out = []
    for seed in [0, 1, 42, 12345, 2**32 + 5, 1234567890123]:
        samples = []
        for population, k in [(70, 30), (190, 10), (150, 50), (95, 5), (1000, 3), (1, 1)]:
            samples.append({"population": population, "k": k, "sample": random.Random(seed).sample(range(population), k)})
        rng = random.Random(seed)
        bits = [rng.getrandbits(b) for b in [32, 1, 7, 0, 53, 64]]
        rng = random.Random(seed)
        out.append({"seed": seed, "samples": samples, "getrandbits": [str(b) for b in bits],
                    "random": [rng.random() for _ in range(3)]})
    return out


def ks_cases() -> list[dict]:
    rng = np.random.default_rng(5)
    out = []
    pairs = []
    for shift in [0.0, 0.3, 0.6, 1.0, 2.0]:
        pairs.append((rng.normal(0, 1, 30), rng.normal(shift, 1, 30)))
    for size in [5, 10, 50, 100]:
        pairs.append((rng.normal(0, 1, size), rng.normal(0.8, 1, size)))
    pairs.append((rng.integers(0, 3, 30).astype(float), rng.integers(0, 4, 30).astype(float)))  # ties
    pairs.append((np.zeros(30), np.zeros(30)))
    pairs.append((rng.normal(0, 1, 20), rng.normal(0.5, 1, 30)))  # unequal sizes
    pairs.append((rng.normal(0, 1, 40), rng.normal(1.0, 1, 25)))
    for a, b in pairs:
        a = [float(f"{v:.6g}") for v in a]
        b = [float(f"{v:.6g}") for v in b]
        result = scipy_stats.ks_2samp(a, b, method="auto")
        out.append({"a": a, "b": b, "statistic": float(result.statistic), "pvalue": float(result.pvalue)})
    return out


def main() -> None:
    fixture = {
        "generator": "Tests/differential/generate_river_fixtures.py",
        "river": river.__version__, "scipy": scipy.__version__, "python": sys.version.split()[0],
        "streams": stream_cases(), "python_random": python_random_cases(), "ks_2samp": ks_cases(),
    }
    OUT.write_text(json.dumps(fixture) + "\n")
    runs = sum(len(s["runs"]) for s in fixture["streams"])
    print(f"wrote {OUT}: {len(fixture['streams'])} streams, {runs} River runs")


if __name__ == "__main__":
    main()
