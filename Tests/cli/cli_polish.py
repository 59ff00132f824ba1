#!/usr/bin/env python3
"""CLI polish (issue 13, item 6), end to end: "did you mean" for mistyped scenario,
detector, NAB entry and profile names; a scenario file with a missing key is one
line naming the file and the key; `bench --format table` prints rounded figures
in aligned columns; `replay`'s table rows line up under its header; progress goes
to stderr only when stderr is a terminal.

    python3 Tests/cli/cli_polish.py [path/to/notebooks]   (default .build/release/notebooks, else .build/debug/notebooks)
"""
import json
import os
import pty
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(*args, timeout=120):
    return subprocess.run([NOTEBOOKS, *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def usage_error(args, *needles):
    """Exit 2, exactly one stderr line `notebooks: …` holding every needle, nothing on stdout."""
    r = run(*args)
    lines = r.stderr.splitlines()
    ok = (r.returncode == 2 and len(lines) == 1 and lines[0].startswith("notebooks: ") and not r.stdout
          and all(n in lines[0] for n in needles))
    check(ok, f"{' '.join(args)} -> exit 2, one line with {needles}" + ("" if ok else f" (exit {r.returncode}: {r.stderr.strip()!r})"))


def columns(line):
    """(start, end) of each run of non-space characters separated by two or more spaces."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def main(work):
    # "Did you mean" for every kind of name, from one rule.
    usage_error(["simulate", "--scenario", "sudden-confidence-dorp", "--out", os.path.join(work, "x")],
                "sudden-confidence-dorp", "did you mean 'sudden-confidence-drop'?")
    usage_error(["heuristics", "--scenarios", "error-brust"], "unknown scenario 'error-brust'", "did you mean 'error-burst'?")
    usage_error(["heuristics", "--detectors", "adwn"], "unknown detector 'adwn'", "did you mean 'adwin'?")
    usage_error(["nab", "--detector", "cad-os"], "'cad-os'", "did you mean 'cad-ose'?")
    usage_error(["nab", "--profile", "standrd"], "unknown profile 'standrd'", "did you mean 'standard'?")
    usage_error(["heuristics", "--scenarios", "zzzzzzzzzzzz"], "unknown scenario 'zzzzzzzzzzzz'")
    r = run("heuristics", "--scenarios", "zzzzzzzzzzzz")
    check("did you mean" not in r.stderr, "no suggestion when nothing is close")

    # Scenario files with a missing key: one line with the file and the key (as the file spells it).
    scenario = json.loads(run("simulate", "--scenario", "error-burst", "--print-scenario").stdout)
    cases = {
        "summary": lambda s: s.pop("summary"),
        "rate_per_second": lambda s: s["baseline"].pop("rate_per_second"),
        "kind": lambda s: s["drifts"][0].pop("kind"),
    }
    for key, remove in cases.items():
        broken = json.loads(json.dumps(scenario))
        remove(broken)
        path = os.path.join(work, f"no-{key}.json")
        json.dump(broken, open(path, "w"))
        usage_error(["simulate", "--scenario", path, "--out", os.path.join(work, "sim")], path, f"'{key}'")
        r = run("simulate", "--scenario", path, "--out", os.path.join(work, "sim"))
        check("DecodingError" not in r.stderr and "CodingKeys" not in r.stderr, f"no raw DecodingError for a missing {key}")
    path = os.path.join(work, "not-json.json")
    open(path, "w").write("{ nope")
    usage_error(["simulate", "--scenario", path, "--out", os.path.join(work, "sim")], path)

    # A bad --out fails at once, before the work, with one line naming it.
    blocker = os.path.join(work, "a-file")
    open(blocker, "w").write("x")
    usage_error(["heuristics", "--out", os.path.join(blocker, "sub")], os.path.join(blocker, "sub"), "cannot create")
    usage_error(["nab", "--data", "/nonexistent", "--out", os.path.join(blocker, "sub")], os.path.join(blocker, "sub"), "cannot create")

    # bench --format table: rounded figures in aligned columns.
    r = run("bench", "aggregation", "--records", "2000", "--repeat", "3", "--format", "table")
    lines = r.stdout.rstrip("\n").splitlines()
    check(r.returncode == 0 and len(lines) == 2, f"bench table: a header and a row ({lines})")
    if len(lines) == 2:
        long_digits = re.findall(r"\d+\.\d{4,}", r.stdout)
        check(not long_digits, f"bench table: no figure with 4 or more decimals ({long_digits})")
        header, row = columns(lines[0]), columns(lines[1])
        check(len(header) == len(row), f"bench table: {len(header)} headings, {len(row)} cells")
        # Text columns start under their heading, numeric ones end under it.
        aligned = all(h[0] == c[0] or h[1] == c[1] for h, c in zip(header, row))
        check(aligned, "bench table: every cell lines up with its heading")
        check(re.search(r"\b\d+(\.\d+)? (µs|ms|s)\b", lines[1]) is not None, "bench table: durations carry their unit")
    r = run("bench", "percentiles", "--records", "2000", "--repeat", "3", "--format", "table")
    check(r.returncode == 0 and not re.findall(r"\d+\.\d{4,}", r.stdout), "bench percentiles table: rounded figures")

    # replay's table: each row's fields under the header's columns.
    sim = os.path.join(work, "replay-dir")
    r = run("simulate", "--scenario", "error-burst", "--duration", "2h", "--rate", "0.5", "--out", sim)
    check(r.returncode == 0, "simulate a small directory")
    r = run("replay", sim, "--every", "30m")
    lines = r.stdout.splitlines()
    header = lines[0]
    rows = [l for l in lines[1:] if re.match(r"\d{4}-\d\d-\d\dT", l)]
    check(len(rows) >= 3, f"replay printed {len(rows)} metric rows")
    heads = columns(header)
    time_width = max(len(l.split()[0]) for l in rows)
    check(heads[1][0] > time_width, f"replay: the first heading after time starts past the timestamps ({heads[1][0]} > {time_width})")
    for name in ("pred/min", "avg conf", "p50 s", "p95 s", "anomaly"):
        end = header.index(name) + len(name)
        check(all(len(l) >= end and l[end - 1] != " " and (len(l) == end or l[end] == " ") for l in rows),
              f"replay: the '{name}' figures end under their heading")
    check(all(not re.search(r"T\d\d:\d\d:\d\d\.\d", l) for l in rows), "replay: timestamps on whole ticks (no microseconds)")

    # Progress: never in a pipe, on a terminal for a long command.
    big = os.path.join(work, "replay-big")
    r = run("simulate", "--scenario", "none", "--duration", "1d", "--rate", "2", "--out", big)
    check(r.returncode == 0, "simulate a day of traffic")
    # --speed 43200: the simulated day takes at least two seconds, whatever the machine.
    text, code = on_terminal(["replay", big, "--every", "6h", "--speed", "43200"])
    check(code == 0 and "\rreplay " in text and "events: " in text, f"replay: progress on a terminal after a second ({text.strip()[-60:]!r})")
    r = run("replay", big, "--every", "6h")
    check(r.returncode == 0 and "\r" not in r.stderr, "replay: no progress when stderr is a pipe")

    args = ["heuristics", "--scenarios", "none", "error-burst", "--seeds", "1", "--duration", "2h", "--no-sweep",
            "--detectors", "recommended"]
    r = run(*args)
    check(r.returncode == 0 and "\r" not in r.stderr and "%" not in r.stderr, "heuristics: no progress when stderr is a pipe")
    text, code = on_terminal(args)
    check(code == 0 and "\r" in text and "100%" in text and "2/2 streams" in text,
          f"heuristics: progress on a terminal ({text.strip()[-60:]!r})")


def on_terminal(args):
    """Runs the command with stderr on a pseudo-terminal (stdout in a pipe): (what the terminal showed, exit code)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([NOTEBOOKS, *args], stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return seen.decode(errors="replace"), p.wait(timeout=300)


if __name__ == "__main__":
    NOTEBOOKS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "notebooks")
    if not os.access(NOTEBOOKS, os.X_OK):
        NOTEBOOKS = os.path.join(ROOT, ".build", "debug", "notebooks")
    if not os.access(NOTEBOOKS, os.X_OK):
        sys.exit("cli_polish.py: build notebooks first (swift build)")
    with tempfile.TemporaryDirectory(prefix="driftlab-cli-") as work:
        main(work)
    if failures:
        print(f"\n{len(failures)} check(s) failed")
        sys.exit(1)
    print("\nall CLI polish checks passed")
