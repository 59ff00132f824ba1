"""Random streams of varied kinds for comparing DriftLab's detectors with River's.

Every stream is a list of Python floats rounded to 6 significant decimals (so that the CSV
text both sides read is short and exact), generated from a seed with numpy's PCG64.
Shared by river_differential.py (the differential test) and generate_river_fixtures.py
(the fixtures the Swift unit tests read).
"""
from __future__ import annotations

import numpy as np


def _clean(values) -> list[float]:
    return [float(f"{v:.6g}") for v in values]


def mean_shift(seed: int, n: int, at: float, shift: float, sigma: float = 1.0):
    rng = np.random.default_rng(seed)
    k = int(n * at)
    return _clean(np.concatenate([rng.normal(0, sigma, k), rng.normal(shift, sigma, n - k)]))


def variance_change(seed: int, n: int, at: float, factor: float):
    rng = np.random.default_rng(seed)
    k = int(n * at)
    return _clean(np.concatenate([rng.normal(5, 1, k), rng.normal(5, factor, n - k)]))


def gradual(seed: int, n: int, start: float, end: float, shift: float):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / n
    ramp = np.clip((t - start) / (end - start), 0, 1)
    return _clean(rng.normal(0, 1, n) + shift * ramp)


def stationary(seed: int, n: int, kind: str):
    rng = np.random.default_rng(seed)
    if kind == "normal":
        return _clean(rng.normal(10, 2, n))
    if kind == "uniform":
        return _clean(rng.uniform(0, 1, n))
    return _clean(rng.exponential(1.0, n))


def bernoulli(seed: int, n: int, at: float, p0: float, p1: float):
    rng = np.random.default_rng(seed)
    k = int(n * at)
    return [float(v) for v in np.concatenate([rng.random(k) < p0, rng.random(n - k) < p1]).astype(int)]


def heavy_tail(seed: int, n: int, at: float, shift: float, kind: str):
    rng = np.random.default_rng(seed)
    k = int(n * at)
    if kind == "t2":
        base = rng.standard_t(2, n)
    elif kind == "cauchy":
        base = np.clip(rng.standard_cauchy(n), -1e4, 1e4)
    else:
        base = rng.lognormal(0, 1.5, n)
    base[k:] += shift
    return _clean(base)


def categorical(seed: int, n: int):
    """River's documentation stream, with a numpy seed: {0, 1} then {4, ..., 7} (many ties)."""
    rng = np.random.default_rng(seed)
    return [float(v) for v in np.concatenate([rng.integers(0, 2, n // 2), rng.integers(4, 8, n - n // 2)])]


def multi_shift(seed: int, n: int, levels: list[float]):
    rng = np.random.default_rng(seed)
    parts = np.array_split(np.arange(n), len(levels))
    return _clean(np.concatenate([rng.normal(level, 1, len(p)) for level, p in zip(levels, parts)]))


def all_streams() -> list[tuple[str, list[float], bool]]:
    """(name, values, binary) for the differential test: 64 streams, about 100,000 values."""
    out = []
    for i in range(12):
        n = [600, 1000, 1500, 2500, 3000][i % 5]
        shift = [0.5, 1.0, 2.0, -1.5, 3.0, -0.7][i % 6]
        out.append((f"mean-shift-{i}", mean_shift(100 + i, n, [0.3, 0.5, 0.7][i % 3], shift, [1.0, 0.2, 5.0][i % 3]), False))
    for i in range(8):
        out.append((f"variance-{i}", variance_change(200 + i, [1000, 1500, 2500][i % 3], 0.5, [3.0, 0.3, 5.0, 2.0][i % 4]), False))
    for i in range(8):
        out.append((f"gradual-{i}", gradual(300 + i, [1500, 2500][i % 2], 0.3, [0.6, 0.9][i % 2], [2.0, -1.0, 4.0, 1.0][i % 4]), False))
    for i in range(8):
        out.append((f"stationary-{i}", stationary(400 + i, [1000, 2000, 3000][i % 3], ["normal", "uniform", "exponential"][i % 3]), False))
    for i in range(12):
        p0, p1 = [(0.1, 0.3), (0.2, 0.2), (0.05, 0.15), (0.3, 0.1), (0.5, 0.7), (0.02, 0.2)][i % 6]
        out.append((f"bernoulli-{i}", bernoulli(500 + i, [1000, 2000, 3000][i % 3], 0.5, p0, p1), True))
    for i in range(8):
        out.append((f"heavy-tail-{i}", heavy_tail(600 + i, [1000, 2000][i % 2], 0.5, [0.0, 3.0, 10.0, 1.0][i % 4],
                                                  ["t2", "cauchy", "lognormal"][i % 3]), False))
    for i in range(4):
        out.append((f"categorical-{i}", categorical(700 + i, 2000), False))
    for i in range(4):
        out.append((f"multi-shift-{i}", multi_shift(800 + i, 3000, [[0, 2, 0, 2], [0, 1, 2, 3], [5, 0, 5, 0], [0, -2, 2, 0]][i]), False))
    return out


def configurations(index: int, binary: bool) -> list[tuple[str, dict]]:
    """(detector, parameters by River's names) run on stream number `index`: River's defaults on
    every stream, and variants in turn (KSWIN's variants on every fourth stream). KSWIN, whose
    River form costs a scipy call per input, runs on the first KSWIN_PREFIX values."""
    configs = [
        ("adwin", {}),
        [("adwin", {"delta": 0.05, "clock": 1}),
         ("adwin", {"delta": 0.0001, "clock": 8, "max_buckets": 3, "min_window_length": 10, "grace_period": 50})][index % 2],
        ("page-hinkley", {}),
        [("page-hinkley", {"threshold": 10.0, "delta": 0.05, "mode": "up", "min_instances": 10}),
         ("page-hinkley", {"threshold": 20.0, "alpha": 0.999, "mode": "down"})][index % 2],
        ("kswin", {"seed": 42 + index}),
    ]
    if index % 4 == 0:
        # stat_size 10 of 190: CPython samples by rejection against a set; 50 of 150: from a shrinking pool.
        configs.append([("kswin", {"alpha": 0.01, "window_size": 200, "stat_size": 10, "seed": 1234567890123}),
                        ("kswin", {"alpha": 0.0001, "window_size": 200, "stat_size": 50, "seed": 7})][index // 4 % 2])
    if binary:
        configs += [("ddm", {}), ("ddm", {"warm_start": 100, "warning_threshold": 1.5, "drift_threshold": 2.5}),
                    ("eddm", {}), ("eddm", {"warm_start": 10, "alpha": 0.9, "beta": 0.8})]
    return configs


KSWIN_PREFIX = 1000


def river_detector(name: str, params: dict):
    from river import drift
    from river.drift import binary

    factory = {"adwin": drift.ADWIN, "page-hinkley": drift.PageHinkley, "kswin": drift.KSWIN,
               "ddm": binary.DDM, "eddm": binary.EDDM}[name]
    return factory(**params)


def river_alarms(name: str, params: dict, values: list[float]) -> list[int]:
    detector = river_detector(name, params)
    alarms = []
    for i, x in enumerate(values):
        detector.update(x)
        if detector.drift_detected:
            alarms.append(i)
    return alarms
