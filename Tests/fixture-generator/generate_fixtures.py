#!/usr/bin/env python3
"""Writes the regression fixtures for DriftLab's metric tests.

For each case it writes a monitor directory in the reference's log format and
the reference's own answers, computed by importing the reference
`PredictionMonitor` from ../shared/reference/ with its clock frozen at `now`:

    Tests/MonitoringTests/Fixtures/<case>/monitor/{predictions,metrics}.json
    Tests/MonitoringTests/Fixtures/<case>/expected.json

Run from the repository root:  python3 Tests/fixture-generator/generate_fixtures.py
The output is deterministic (seeded); re-running it rewrites identical files.
"""
import json
import random
import shutil
import sys
from collections import deque
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT.parent / "shared" / "reference"))
import prediction_monitor as pm  # noqa: E402

OUT = ROOT / "Tests" / "MonitoringTests" / "Fixtures"
NOW = datetime(2026, 11, 29, 12, 0, 0)
LABELS = ["positive", "negative", "neutral", "mixed"]


def frozen(now):
    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return now
    return FrozenDatetime


def record(ts, label, confidence, processing_time, **extra):
    r = {
        "timestamp": ts.isoformat(),
        "text_hash": "%016x" % random.getrandbits(64),
        "prediction": label,
        "confidence": confidence,
        "processing_time": processing_time,
        "model_version": "v1",
        "text_length": 42,
        "word_count": 7,
        "client_id": None,
        "user_agent": None,
        "session_id": None,
    }
    r.update(extra)
    return r


def lines_of(records):
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def metrics_line(ts, **overrides):
    m = {
        "timestamp": ts.isoformat(), "total_predictions": 10, "predictions_per_minute": 2.0,
        "avg_confidence": 0.8, "avg_processing_time": 0.5,
        "confidence_distribution": {"very_low": 0, "low": 1, "medium": 2, "high": 3, "very_high": 4},
        "prediction_distribution": {"positive": 6, "negative": 4}, "error_rate": 0.0,
        "response_time_percentiles": {"p50": 0.4, "p90": 0.9, "p95": 1.1, "p99": 1.5}, "anomaly_score": 0.1,
    }
    m.update(overrides)
    return m


def write_case(name, predictions=None, metrics=None, now=NOW, hours=24, raw_predictions=None):
    case = OUT / name
    if case.exists():
        shutil.rmtree(case)
    monitor = case / "monitor"
    case.mkdir(parents=True)
    if predictions is not None or raw_predictions is not None or metrics is not None:
        monitor.mkdir()
    if raw_predictions is not None:
        (monitor / "predictions.json").write_bytes(raw_predictions)
    elif predictions is not None:
        (monitor / "predictions.json").write_text(lines_of(predictions))
    if metrics is not None:
        (monitor / "metrics.json").write_text(lines_of(metrics))

    pm.datetime = frozen(now)
    monitor_obj = pm.PredictionMonitor(case)
    expected = {
        "now": now.isoformat(),
        "hours": hours,
        "current_metrics": asdict(monitor_obj.get_current_metrics()),
        "prediction_patterns": monitor_obj.get_prediction_patterns(hours=hours),
        "confidence_analysis": monitor_obj.get_confidence_analysis(),
        "historical_metrics": [asdict(m) for m in monitor_obj.get_historical_metrics(hours=hours)],
        "loaded_predictions": len(monitor_obj.recent_predictions),
        "loaded_metrics": len(monitor_obj.metrics_history),
    }
    if not any(case.iterdir()) or not monitor.exists():
        (case / ".keep").write_text("")
    # The reference creates monitor/ on construction; keep it only if it has logs.
    if monitor.exists() and not any(monitor.iterdir()):
        monitor.rmdir()
        (case / ".keep").write_text("")
    (case / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=False) + "\n")


def spread(rng, count, span, end=NOW, labels=LABELS, weights=None):
    """count records at random times in (end - span, end], in time order."""
    offsets = sorted(rng.uniform(0, span.total_seconds()) for _ in range(count))
    out = []
    for off in reversed(offsets):
        ts = end - timedelta(seconds=off)
        if rng.random() < 0.1:
            ts = ts.replace(microsecond=0)
        label = rng.choices(labels, weights=weights)[0]
        out.append(record(ts, label, round(rng.betavariate(5, 2), 6), round(rng.lognormvariate(-1, 0.8), 6)))
    return out


def main():
    rng = random.Random(20261129)
    random.seed(1)
    OUT.mkdir(parents=True, exist_ok=True)

    write_case("empty_directory")
    write_case("empty_logs", predictions=[], metrics=[])
    write_case("one_record", predictions=[record(NOW - timedelta(minutes=1), "positive", 0.93, 0.4)])
    write_case("all_one_label", predictions=spread(rng, 300, timedelta(minutes=50), labels=["spam"]))

    edges = [0.0, 0.49999999999999994, 0.5, 0.6, 0.69999999999999996, 0.7, 0.8, 0.9, 1.0, 0.5999999999999999]
    times = [0.0, 5.0, 5.000000000000001, 10.0, 4.999999999999999, 0.1, 2.5, 7.5, 5.0, 1.0]
    write_case("bucket_edges", predictions=[
        record(NOW - timedelta(seconds=10 * i + 1), LABELS[i % 2], c, t) for i, (c, t) in enumerate(zip(edges, times))
    ])
    # Ratios exactly on the indicator and skew cut-offs: 3/10 low confidence, 1/10 slow, 9/10 one label.
    write_case("indicator_edges", predictions=[
        record(NOW - timedelta(seconds=5 * i + 1), "a" if i < 9 else "b", 0.5 if i < 3 else 0.95, 6.0 if i == 0 else 1.0)
        for i in range(10)
    ])
    future = spread(rng, 200, timedelta(minutes=30))
    future += [record(NOW + timedelta(minutes=m, microseconds=17), "positive", 0.55, 0.3) for m in (1, 7, 65, 180)]
    write_case("future_records", predictions=future)
    # Window boundaries: exactly now-5min, now-60min, trend edges, now.
    boundary = [record(NOW - timedelta(minutes=m, microseconds=u), LABELS[(m + u) % 4], 0.61 + m / 1000, 0.2)
                for m in (0, 5, 10, 20, 30, 40, 50, 60) for u in (-1, 0, 1)]
    write_case("window_boundaries", predictions=boundary)
    write_case("over_capacity", predictions=spread(rng, 10_600, timedelta(hours=20), weights=[5, 3, 1, 1]))
    write_case("unordered", predictions=rng.sample(spread(rng, 2_000, timedelta(hours=3)), 2_000))
    write_case("realistic_day", predictions=spread(rng, 3_000, timedelta(hours=26), weights=[4, 3, 2, 1]), hours=24,
               metrics=[metrics_line(NOW - timedelta(minutes=m)) for m in range(0, 1600, 7)])
    write_case("short_lookback", predictions=spread(rng, 800, timedelta(hours=5)), hours=2,
               metrics=[metrics_line(NOW - timedelta(minutes=m), anomaly_score=m / 1000) for m in range(0, 300, 9)])

    good = spread(rng, 50, timedelta(minutes=20))
    bad = [
        "not json at all",
        "{\"timestamp\": \"2026-11-29T11:59:00\", \"prediction\": ",
        json.dumps({k: v for k, v in good[0].items() if k != "confidence"}),
        json.dumps(dict(good[1], extra_field=1)),
        json.dumps(dict(good[2], timestamp="yesterday")),
        json.dumps(dict(good[3], timestamp="2026-11-29T11:59:00+00:00")),
        json.dumps(dict(good[4], timestamp=12345)),
        "[1, 2, 3]",
        "42",
        "",
        "   ",
        json.dumps(dict(good[5], timestamp="2026-02-30T10:00:00")),
    ]
    mixed = []
    for i, r in enumerate(good):
        mixed.append(r)
        if i < len(bad):
            mixed.append(bad[i])
    write_case("garbage_lines", predictions=mixed,
               metrics=["garbage", json.dumps(metrics_line(NOW - timedelta(minutes=3), extra=1)),
                        metrics_line(NOW - timedelta(minutes=2)),
                        json.dumps({k: v for k, v in metrics_line(NOW).items() if k != "error_rate"})])
    torn = lines_of(spread(rng, 40, timedelta(minutes=8)))
    torn += json.dumps(record(NOW - timedelta(seconds=3), "positive", 0.7, 0.2))[:37]
    write_case("torn_last_line", raw_predictions=torn.encode())
    optional = []
    for r in spread(rng, 30, timedelta(minutes=15)):
        for key in ("client_id", "user_agent", "session_id"):
            if rng.random() < 0.5:
                del r[key]
            elif rng.random() < 0.5:
                r[key] = "x-%d" % rng.randrange(100)
        optional.append(r)
    write_case("missing_optional_keys", predictions=optional)
    crlf = lines_of(spread(rng, 60, timedelta(minutes=40))).replace("\n", "\r\n")
    write_case("crlf_line_endings", raw_predictions=crlf.encode())
    huge = [record(NOW - timedelta(seconds=i + 1), "x" if i % 3 else "y", 0.9, 1e9 + rng.random())
            for i in range(250)]
    write_case("huge_offsets", predictions=huge)
    formats = []
    for i, fmt in enumerate(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y%m%dT%H%M%S", "%Y-%m-%dT%H:%M"]):
        for j in range(5):
            ts = NOW - timedelta(minutes=3 * i + j, seconds=7)
            formats.append(dict(record(ts, LABELS[j % 4], 0.3 + 0.1 * j, 0.5), timestamp=ts.strftime(fmt)))
    formats.append(dict(record(NOW, "w", 0.5, 0.5), timestamp="2026-W48-7T11:58:00.5"))
    write_case("timestamp_formats", predictions=formats)
    unicode_labels = spread(rng, 120, timedelta(minutes=4), labels=["caf\u00e9", "\u65e5\u672c", "quote\"d", "emoji\U0001F600"],
                            weights=[95, 2, 2, 1])
    write_case("unicode_labels", predictions=unicode_labels)
    ties = [record(NOW - timedelta(seconds=i + 1), lab, 0.8, 0.1) for i, lab in enumerate(["b", "a", "a", "b", "c"])]
    write_case("label_ties", predictions=ties)
    print("wrote", len(list(OUT.iterdir())), "cases to", OUT)
    write_example(rng)
    write_non_string_labels()
    write_nan_labels_and_huge_values()
    write_window_over_capacity()
    write_nonfinite_response_times()


def write_window_over_capacity():
    """1,500 predictions in the last 4.5 minutes (about 5.6 a second). expected.json holds the
    reference's answers with its deque(maxlen=10000), which holds them all; expected_capacity_500.json
    its answers with deque(maxlen=500), which silently cuts the 5-minute window to the newest 500
    (predictions_per_minute 100 instead of 300): what a LoadReport's truncatedByCapacity flags."""
    random.seed(21)
    rng = random.Random(21)
    write_case("window_over_capacity", predictions=spread(rng, 1_500, timedelta(seconds=270), weights=[4, 3, 2, 1]))
    case = OUT / "window_over_capacity"
    pm.datetime = frozen(NOW)
    monitor_obj = pm.PredictionMonitor(case)
    monitor_obj.recent_predictions = deque(maxlen=500)
    monitor_obj.metrics_history = deque(maxlen=1440)
    monitor_obj.load_historical_data()
    expected = {
        "now": NOW.isoformat(),
        "hours": 24,
        "capacity": 500,
        "current_metrics": asdict(monitor_obj.get_current_metrics()),
        "prediction_patterns": monitor_obj.get_prediction_patterns(hours=24),
        "confidence_analysis": monitor_obj.get_confidence_analysis(),
        "historical_metrics": [asdict(m) for m in monitor_obj.get_historical_metrics(hours=24)],
        "loaded_predictions": len(monitor_obj.recent_predictions),
        "loaded_metrics": len(monitor_obj.metrics_history),
    }
    (case / "expected_capacity_500.json").write_text(json.dumps(expected, indent=1, sort_keys=False) + "\n")


def write_nan_labels_and_huge_values():
    """NaN labels, which json.loads returns as one float object (so they are one dict key,
    written "NaN", and 'nan' in the skew indicator); and processing times near 1e18."""
    random.seed(12)
    rng = random.Random(12)
    nan = float("nan")
    labels = [nan, "positive", "negative", nan]
    mixed = [record(NOW - timedelta(seconds=3 * i + 1), rng.choice(labels), round(rng.random(), 4), 0.2)
             for i in range(90)]
    write_case("nan_labels", predictions=mixed)
    skew = [record(NOW - timedelta(seconds=2 * i + 1), nan if i % 25 else "x", 0.95, 0.1) for i in range(100)]
    write_case("nan_label_skew", predictions=skew)
    huge = spread(rng, 3000, timedelta(hours=20))
    for i, r in enumerate(huge):
        r["processing_time"] = [1e18 * (1 + rng.random()), float(10**18 + rng.randrange(10**6) * 128),
                                rng.choice([1e18, 1.0000000000000002e18, 9.999999999999999e17])][i % 3]
    write_case("values_near_1e18", predictions=huge)


def write_nonfinite_response_times():
    """Response times the reference reads with json.loads but never checks, in windows of 700
    records (past the percentiles' counting threshold of 512), for the current metrics' passes:
    one NaN; infinities of both signs; +inf with signed zeros (a range found by the mean's pass
    that reaches +inf); negative times with -inf; times near the largest double whose sum
    overflows to +inf (no NaN); and halves of -1.5e308 and +1.5e308 whose pairwise sum is
    -inf + inf = NaN although no time is NaN or infinite."""
    rng = random.Random(33)
    big = 1.5e308
    cases = {
        "response_times_nan": lambda i: float("nan") if i == 411 else None,
        "response_times_both_infinities": lambda i: float("inf") if i % 97 == 5 else -float("inf") if i % 89 == 7 else None,
        "response_times_inf_and_zeros": lambda i: float("inf") if i % 50 == 3 else [0.0, -0.0][i % 2] if i % 7 == 1 else None,
        "response_times_negative": lambda i: -float("inf") if i % 101 == 9 else -i / 7 if i % 3 else None,
        "response_times_overflowing_sum": lambda i: big * (1 + i / 1e4) if i % 4 == 0 else None,
        "response_times_overflow_both_ways": lambda i: -big if i < 350 else big,
    }
    for name, special in cases.items():
        records = spread(rng, 700, timedelta(minutes=4))
        for i, r in enumerate(records):
            value = special(i)
            if value is not None:
                r["processing_time"] = value
        write_case(name, predictions=records)


def write_non_string_labels():
    """Labels the reference never type-checks: ints, floats, booleans and null, where 1, 1.0
    and true are one dict key (the first one seen names it)."""
    rng = random.Random(7)
    labels = [1, 1.0, True, 0, False, None, 2.5, -0, 10**20, "1"]
    mixed = [record(NOW - timedelta(seconds=3 * i + 1), rng.choice(labels), round(rng.random(), 4), 0.2)
             for i in range(80)]
    write_case("non_string_labels", predictions=mixed)
    skew = [record(NOW - timedelta(seconds=2 * i + 1), True if i % 25 else "x", 0.95, 0.1) for i in range(100)]
    write_case("non_string_label_skew", predictions=skew)


def write_example(rng):
    """The small example directory under datasets/ that `make demo` analyses."""
    example = ROOT / "datasets" / "example-monitor" / "monitor"
    example.mkdir(parents=True, exist_ok=True)
    calm = spread(rng, 1200, timedelta(hours=3), end=NOW - timedelta(minutes=30), weights=[5, 3, 1, 1])
    drift = []
    for r in spread(rng, 400, timedelta(minutes=30), weights=[1, 1, 1, 12]):
        r["confidence"] = round(r["confidence"] * 0.7, 6)
        drift.append(r)
    (example / "predictions.json").write_text(lines_of(calm + drift))
    (example / "metrics.json").write_text(lines_of([metrics_line(NOW - timedelta(minutes=m)) for m in range(0, 180, 15)]))
    print("wrote the example monitor to", example.parent)


if __name__ == "__main__":
    main()
