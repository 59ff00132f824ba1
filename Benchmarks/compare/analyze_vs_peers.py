#!/usr/bin/env python3
"""Times `notebooks analyze` against the tools a data person would pick instead, side by side.

Generates 1M- and 5M-line logs with the simulator
(`notebooks simulate --scenario none --duration 1435m --rate 11.6`, and a 5x rate), then runs,
as whole processes, alternating the order each round:
  - DriftLab: `notebooks analyze DIR --now <last timestamp> --capacity <all lines>`;
  - DuckDB (default threads, and one thread): read_json of the four columns the metrics need,
    then the same figures in SQL;
  - Polars: read_ndjson of the same four columns, then the same figures.
DuckDB and Polars are installed with pip when missing; a peer that cannot be installed or
imported is skipped with a message.

Before timing, every peer's figures are checked against DriftLab's: the 24-hour pattern
(count, mean/std/min/max of confidence and processing time, hourly counts), the 5-minute
current metrics (count, means, p50/p90/p95/p99 of processing time, label and confidence-bucket
counts) and the 60-minute confidence analysis (count, mean, std, low-confidence count).
Counts must be equal, floats equal to 1e-9 relative (the peers sum in another order).

Prints the medians of R rounds (default 5) of wall time, of CPU time (user + system over all
threads) and of max RSS (all three from wait4's rusage of each child), and each tool's wall time
as a ratio to DriftLab's. The machine is shared: quote medians, never bests, and the CPU times
say how much of the wall time was waiting for a core.

    python3 Benchmarks/compare/analyze_vs_peers.py [--lines 1000000 5000000] [--rounds 5]
        [--binary PATH] [--workdir DIR] [--no-install]
"""
import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE_RATE = 11.6           # per second, over 1435 minutes: about 1M lines
BASE_LINES = 1_000_000

DUCKDB = r'''
import duckdb, json, sys
path, now, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
if threads:
    con.execute(f"SET threads={threads}")
con.execute("""CREATE TABLE p AS SELECT * FROM read_json(?, format='newline_delimited',
    columns={'timestamp': 'TIMESTAMP', 'prediction': 'VARCHAR', 'confidence': 'DOUBLE', 'processing_time': 'DOUBLE'})""",
    [path])
now = f"TIMESTAMP '{now}'"
out = {"lines": con.execute("SELECT count(*) FROM p").fetchone()[0]}
r = con.execute(f"""SELECT count(*), avg(confidence), stddev_pop(confidence), min(confidence), max(confidence),
    avg(processing_time), stddev_pop(processing_time), min(processing_time), max(processing_time)
    FROM p WHERE timestamp > {now} - INTERVAL 24 HOUR""").fetchone()
out["day"] = list(r)
out["hourly"] = {str(h): c for h, c in con.execute(
    f"SELECT hour(timestamp), count(*) FROM p WHERE timestamp > {now} - INTERVAL 24 HOUR GROUP BY 1").fetchall()}
r = con.execute(f"""SELECT count(*), avg(confidence), avg(processing_time),
    quantile_cont(processing_time, [0.5, 0.9, 0.95, 0.99]),
    count(*) FILTER (confidence < 0.5), count(*) FILTER (confidence >= 0.5 AND confidence < 0.7),
    count(*) FILTER (confidence >= 0.7 AND confidence < 0.8), count(*) FILTER (confidence >= 0.8 AND confidence < 0.9),
    count(*) FILTER (confidence >= 0.9)
    FROM p WHERE timestamp > {now} - INTERVAL 5 MINUTE""").fetchone()
out["current"] = [r[0], r[1], r[2], *r[3], *r[4:]]
out["labels"] = dict(con.execute(
    f"SELECT prediction, count(*) FROM p WHERE timestamp > {now} - INTERVAL 5 MINUTE GROUP BY 1").fetchall())
r = con.execute(f"""SELECT count(*), avg(confidence), stddev_pop(confidence), count(*) FILTER (confidence < 0.7)
    FROM p WHERE timestamp > {now} - INTERVAL 60 MINUTE""").fetchone()
out["hour"] = list(r)
print(json.dumps(out))
'''

POLARS = r'''
import polars as pl, json, sys
from datetime import datetime, timedelta
path, now = sys.argv[1], datetime.fromisoformat(sys.argv[2])
df = pl.read_ndjson(path, schema={"timestamp": pl.String, "prediction": pl.String,
                                  "confidence": pl.Float64, "processing_time": pl.Float64})
df = df.with_columns(pl.col("timestamp").str.to_datetime(time_unit="us"))
out = {"lines": df.height}
day = df.filter(pl.col("timestamp") > now - timedelta(hours=24))
c, t = pl.col("confidence"), pl.col("processing_time")
out["day"] = list(day.select(pl.len(), c.mean().alias("cm"), c.std(ddof=0).alias("cs"), c.min().alias("c0"),
                             c.max().alias("c1"), t.mean().alias("tm"), t.std(ddof=0).alias("ts"),
                             t.min().alias("t0"), t.max().alias("t1")).row(0))
out["hourly"] = {str(h): n for h, n in day.group_by(pl.col("timestamp").dt.hour()).len().iter_rows()}
cur = df.filter(pl.col("timestamp") > now - timedelta(minutes=5))
out["current"] = list(cur.select(
    pl.len(), c.mean().alias("cm"), t.mean().alias("tm"), *[t.quantile(q, interpolation="linear").alias(f"q{q}") for q in (0.5, 0.9, 0.95, 0.99)],
    (c < 0.5).sum().alias("b0"), ((c >= 0.5) & (c < 0.7)).sum().alias("b1"), ((c >= 0.7) & (c < 0.8)).sum().alias("b2"),
    ((c >= 0.8) & (c < 0.9)).sum().alias("b3"), (c >= 0.9).sum().alias("b4")).row(0))
out["labels"] = {k: n for k, n in cur.group_by("prediction").len().iter_rows()}
hour = df.filter(pl.col("timestamp") > now - timedelta(minutes=60))
out["hour"] = list(hour.select(pl.len(), c.mean().alias("cm"), c.std(ddof=0).alias("cs"),
                               (c < 0.7).sum().alias("low")).row(0))
print(json.dumps(out))
'''


def ensure_module(name, install):
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        pass
    if not install:
        print(f"skipping {name}: not installed (--no-install)", file=sys.stderr)
        return False
    print(f"installing {name} with pip ...", file=sys.stderr)
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", name], capture_output=True, text=True)
    importlib.invalidate_caches()
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        print(f"skipping {name}: pip could not install it ({tail[0]})", file=sys.stderr)
        return False


def generate(binary, workdir, lines):
    """A monitor directory of about `lines` predictions; reused when already there."""
    directory = workdir / f"peers-{lines}"
    log = directory / "monitor" / "predictions.json"
    done = directory / "complete"
    if not done.exists():
        subprocess.run(["rm", "-rf", str(directory)], check=True)
        rate = BASE_RATE * lines / BASE_LINES
        print(f"generating {directory} (rate {rate:g}/s over 1435 minutes) ...", file=sys.stderr)
        subprocess.run([binary, "simulate", "--scenario", "none", "--duration", "1435m", "--rate", f"{rate:g}",
                        "--seed", "1", "--out", str(directory)], check=True, stdout=subprocess.DEVNULL)
        done.write_text("")
    count, last = 0, b""
    with open(log, "rb") as f:
        for line in f:
            count += 1
            last = line
    return directory, log, count, json.loads(last)["timestamp"]


def driftlab_figures(report, count):
    cur, pat, conf = report["current_metrics"], report["prediction_patterns"], report["confidence_analysis"]
    cs, ts = pat["confidence_stats"], pat["processing_time_stats"]
    n5 = round(cur["predictions_per_minute"] * 5)
    p = cur["response_time_percentiles"]
    b = cur["confidence_distribution"]
    return {
        "lines": cur["total_predictions"],
        "day": [pat["total_predictions"], cs["mean"], cs["std"], cs["min"], cs["max"],
                ts["mean"], ts["std"], ts["min"], ts["max"]],
        "hourly": {str(k): v for k, v in pat["hourly_distribution"].items()},
        "current": [n5, cur["avg_confidence"], cur["avg_processing_time"], p["p50"], p["p90"], p["p95"], p["p99"],
                    b["very_low"], b["low"], b["medium"], b["high"], b["very_high"]],
        "labels": cur["prediction_distribution"],
        "hour": [conf["total_predictions"], conf["overall_avg_confidence"], conf["confidence_std"],
                 conf["low_confidence_alerts"]],
    }


def disagreements(expected, actual, path=""):
    if isinstance(expected, dict):
        if set(expected) != set(actual):
            return [f"{path}: keys {sorted(expected)} != {sorted(actual)}"]
        return [d for k in expected for d in disagreements(expected[k], actual[k], f"{path}/{k}")]
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} items != {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in disagreements(e, a, f"{path}[{i}]")]
    if isinstance(expected, int) and not isinstance(expected, bool) and float(expected).is_integer() \
            and isinstance(actual, int):
        return [] if expected == actual else [f"{path}: {expected} != {actual}"]
    if abs(expected - actual) <= 1e-9 * max(abs(expected), abs(actual), 1e-300):
        return []
    return [f"{path}: {expected!r} != {actual!r}"]


def run(command):
    """Wall seconds, CPU seconds (user + system, all threads), max RSS in MB and stdout of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} exited {process.returncode}: {stderr.decode()[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    parser.add_argument("--workdir", default="/tmp/driftlab-analyze-vs-peers")
    parser.add_argument("--no-install", action="store_true")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    peers = []
    if ensure_module("duckdb", not args.no_install):
        peers += [("DuckDB", lambda log, now: [sys.executable, "-c", DUCKDB, str(log), now, "0"]),
                  ("DuckDB, one thread", lambda log, now: [sys.executable, "-c", DUCKDB, str(log), now, "1"])]
    if ensure_module("polars", not args.no_install):
        peers += [("Polars", lambda log, now: [sys.executable, "-c", POLARS, str(log), now])]

    sizes = []
    for lines in args.lines:
        directory, log, count, last = generate(args.binary, workdir, lines)
        tools = [("DriftLab analyze", lambda d=directory, n=last, c=count:
                  [args.binary, "analyze", str(d), "--now", n, "--capacity", str(c)])]
        tools += [(name, lambda make=make, l=log, n=last: make(l, n)) for name, make in peers]
        # Agreement first: every peer's figures against DriftLab's.
        _, _, _, out = run(tools[0][1]())
        expected = driftlab_figures(json.loads(out), count)
        assert expected["lines"] == count, (expected["lines"], count)
        for name, command in tools[1:]:
            _, _, _, out = run(command())
            try:
                figures = json.loads(out)
            except json.JSONDecodeError:
                sys.exit(f"{name} printed no figures at {count} lines: {out[:300]!r}")
            problems = disagreements(expected, figures)
            if problems:
                sys.exit(f"{name} disagrees with DriftLab at {count} lines: {problems[:5]}")
        print(f"{count:,} lines: every tool agrees with DriftLab ({expected['current'][0]} predictions in the "
              f"5-minute window, mean confidence {expected['current'][1]:.6f}, p95 {expected['current'][5]:.6f} s)",
              file=sys.stderr)
        samples = {name: ([], [], []) for name, _ in tools}
        for r in range(args.rounds):
            order = tools[r % len(tools):] + tools[:r % len(tools)]
            if r % 2:
                order.reverse()
            for name, command in order:
                seconds, cpu, rss, _ = run(command())
                samples[name][0].append(seconds)
                samples[name][1].append(cpu)
                samples[name][2].append(rss)
        sizes.append((count, log.stat().st_size, {name: tuple(statistics.median(v) for v in values)
                                                  for name, values in samples.items()}))

    names = list(sizes[0][2])
    print(f"{args.rounds} alternating rounds, medians (whole process: start, load, figures, exit; "
          f"CPU = user + system of all threads; load average {os.getloadavg()[0]:.1f} at the end on {os.cpu_count()} cores)")
    print("| tool | " + " | ".join(f"{count:,} lines ({size / 2**20:,.0f} MiB): wall, CPU" for count, size, _ in sizes)
          + " | " + " | ".join(f"max RSS, {count:,} lines" for count, _, _ in sizes) + " |")
    print("|---" * (1 + 2 * len(sizes)) + "|")
    for name in names:
        cells = []
        for _, _, medians in sizes:
            seconds, cpu, _ = medians[name]
            base = medians["DriftLab analyze"][0]
            ratio = "" if name == "DriftLab analyze" else f" ({seconds / base:.2f}x DriftLab's)"
            cells.append(f"{seconds:.2f} s{ratio}, {cpu:.2f} s")
        cells += [f"{medians[name][2]:,.0f} MB" for _, _, medians in sizes]
        print(f"| {name} | " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
