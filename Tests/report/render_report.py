#!/usr/bin/env python3
"""Builds a small `notebooks heuristics` and `notebooks nab` report, renders each
report.html in headless Chromium, and checks that it rendered.

For each report: the page is self-contained (no script, no external URL), the
screenshot is a PNG of the window's size that is not blank (pixel variance and
share of non-white pixels, decoded with the standard library's zlib), Chromium
logs no console error, and every <svg> of the page is in the rendered DOM. The
charts are checked too: the severity sweep has a tick at each measured severity
and a marker at each measured point, its legend is outside the plot, scenario
charts name their seed, NAB's bars have value labels and widths that match the
scores.

Installs Debian's `chromium` with apt-get when it is missing (with sudo unless
root). Stdlib only. Exit 0 when every check passes, 1 otherwise.

    python3 Tests/report/render_report.py [--notebooks .build/release/notebooks]
        [--keep DIR] [--readme-screenshot docs/report.png]
"""
import argparse
import itertools
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SVG = "{http://www.w3.org/2000/svg}"
WINDOW = (1200, 2400)
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


# --- Chromium -------------------------------------------------------------------------------

def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("chromium is missing: installing Debian's package", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update"], check=True, env=env)
    subprocess.run(sudo + ["apt-get", "install", "-y", "chromium"], check=True, env=env)
    return shutil.which("chromium")


def chromium(binary, args, timeout=120):
    base = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0"]
    with tempfile.TemporaryDirectory(prefix="driftlab-chromium-") as profile:
        return subprocess.run(base + [f"--user-data-dir={profile}"] + args, capture_output=True, text=True, timeout=timeout)


def console_errors(stderr):
    """The page's console messages (Chromium logs them as `INFO:CONSOLE` lines) and uncaught errors: a report
    has no script, so any of them means something went wrong (a blocked or missing resource, a parse error)."""
    return [l for l in stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]


def negative_controls(binary, work):
    """The checks can fail: a page that logs a console error, and a blank page, are caught."""
    bad = os.path.join(work, "console-error.html")
    open(bad, "w").write('<!DOCTYPE html><html><body><p>x</p><script>console.error("boom"); missing();</script></body></html>')
    check(len(console_errors(chromium(binary, ["--dump-dom", "file://" + bad]).stderr)) >= 2,
          "negative control: a console error and an uncaught exception are seen")
    blank = os.path.join(work, "blank.html")
    open(blank, "w").write("<!DOCTYPE html><html><body></body></html>")
    png = os.path.join(work, "blank.png")
    chromium(binary, [f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={png}", "file://" + blank])
    variance, dark = pixel_stats(*read_png(png))
    check(not (variance > 100 and dark > 0.02), f"negative control: a blank page is blank (variance {variance:.0f}, {dark:.1%} non-white)")


# --- PNG, with the standard library ---------------------------------------------------------

def read_png(path):
    """(width, height, rows of RGB(A) byte values) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG (depth {depth}, colour {colour})"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:  # Sub: a running sum per channel
            for c in range(channels):
                line[c::channels] = bytes(v & 255 for v in itertools.accumulate(line[c::channels]))
        elif kind == 2:  # Up
            line = bytearray((x + b) & 255 for x, b in zip(line, previous))
        elif kind in (3, 4):
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                if kind == 3:
                    line[i] = (line[i] + (a + b) // 2) & 255
                else:
                    c = previous[i - channels] if i >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows


def write_png(path, width, height, channels, rows):
    """An 8-bit PNG of `rows` (filter 'up' on every row: small and quick)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw, previous = bytearray(), bytearray(width * channels)
    for row in rows:
        raw.append(2)
        raw += bytes((row[i] - previous[i]) & 255 for i in range(len(row)))
        previous = row
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 6, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def pixel_stats(width, height, channels, rows):
    """Variance of the grey level and the share of pixels that are not near-white, on a sample grid."""
    values, dark = [], 0
    for y in range(0, height, 4):
        row = rows[y]
        for x in range(0, width, 4):
            r, g, b = row[x * channels], row[x * channels + 1], row[x * channels + 2]
            grey = (r + g + b) / 3
            values.append(grey)
            dark += grey < 235
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values), dark / len(values)


# --- The reports ----------------------------------------------------------------------------

def render(binary, html, png, name):
    source = open(html, encoding="utf-8").read()
    check("<script" not in source.lower(), f"{name}: no script")
    external = [u for u in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", source) if not u.startswith("#")]
    external += [u for u in re.findall(r"url\(([^)]+)\)", source)]
    check(not external, f"{name}: no external resource ({external[:3]})")
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", source)) - {"http://www.w3.org/2000/svg"}
    check(not urls, f"{name}: no URL other than the SVG namespace ({sorted(urls)[:3]})")

    url = "file://" + os.path.abspath(html)
    shot = chromium(binary, [f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={png}", url])
    check(shot.returncode == 0 and os.path.exists(png), f"{name}: chromium wrote a screenshot (exit {shot.returncode})")
    if not os.path.exists(png):
        print(shot.stderr[-2000:])
        return
    width, height, channels, rows = read_png(png)
    check((width, height) == WINDOW, f"{name}: screenshot is {width}×{height}, the window's size")
    variance, dark = pixel_stats(width, height, channels, rows)
    check(variance > 100 and dark > 0.02, f"{name}: screenshot is not blank (grey variance {variance:.0f}, {dark:.1%} non-white)")
    errors = console_errors(shot.stderr)

    dom = chromium(binary, ["--dump-dom", url])
    check(dom.returncode == 0, f"{name}: chromium dumped the DOM (exit {dom.returncode})")
    errors += console_errors(dom.stderr)
    check(not errors, f"{name}: no console error ({errors[:2]})")
    expected = source.count("<svg ")
    check(expected > 0 and dom.stdout.count("<svg ") == expected,
          f"{name}: all {expected} <svg> in the rendered DOM ({dom.stdout.count('<svg ')} found)")
    check("How to read this" in dom.stdout, f"{name}: the charts say how to read them")
    return width, height, channels, rows


def texts(element):
    return [t.text or "" for t in element.iter(SVG + "text")]


def plot_frame(root):
    """The plot's frame: the unfilled rect with a stroke."""
    for rect in root.iter(SVG + "rect"):
        if rect.get("fill") == "none" and rect.get("stroke"):
            return tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))
    return None


def check_heuristics(out):
    results = json.load(open(os.path.join(out, "results.json")))
    sweep = results["severity_sweep"]
    severities = sorted({p["severity"] for p in sweep})
    detectors = list(dict.fromkeys(p["detector"] for p in sweep))
    root = ET.parse(os.path.join(out, "severity-sweep.svg")).getroot()
    x, y, w, h = plot_frame(root)
    bottom = y + h
    ticks = [float(t.text) for t in root.iter(SVG + "text")
             if t.get("text-anchor") == "middle" and abs(float(t.get("y")) - (bottom + 17)) < 0.5]
    check(ticks == severities, f"sweep: x ticks {ticks} are the measured severities {severities}")
    markers = [e for e in root.iter() if e.tag in (SVG + "circle", SVG + "polygon", SVG + "rect")
               and e.find(SVG + "title") is not None and ": " in (e.find(SVG + "title").text or "")]
    check(len(markers) == len(detectors) * len(severities),
          f"sweep: {len(markers)} markers for {len(detectors)} detectors × {len(severities)} severities")
    legend = root.find(f"{SVG}g[@class='legend']")
    legend_x = min(float(e.get("x") or e.get("x1") or e.get("cx") or 1e9) for e in legend.iter() if e is not legend and e.tag != SVG + "title")
    check(legend_x > x + w, f"sweep: the legend ({legend_x:.0f} px) is right of the plot (ends at {x + w:.0f} px)")
    check(all(name in texts(legend) for name in detectors), "sweep: the legend names every detector")
    # Coincident points (same severity and rate) are set apart.
    positions = {}
    for m in markers:
        label = m.find(SVG + "title").text
        box = (m.get("cx"), m.get("cy")) if m.tag == SVG + "circle" else m.get("points") or (m.get("x"), m.get("y"))
        positions[label] = box
    check(len(set(map(str, positions.values()))) == len(markers), "sweep: no two markers drawn at the same place")

    for name in sorted(f for f in os.listdir(out) if f.endswith(".svg") and f != "severity-sweep.svg"):
        root = ET.parse(os.path.join(out, name)).getroot()
        words = " ".join(texts(root))
        check(re.search(r"\bseed \d+", words) is not None, f"{name}: says which seed it shows")
        check("per minute" in words, f"{name}: says what its line is, with units")



def check_nab(out):
    rows = json.load(open(os.path.join(out, "results.json")))
    root = ET.parse(os.path.join(out, "scores.svg")).getroot()
    bars = [r for r in root.iter(SVG + "rect") if r.get("class") == "bar"]
    values = [t.text for t in root.iter(SVG + "text") if t.get("class") == "value"]
    expected = len(rows) + 10  # entries run, and the published scoreboard
    check(len(bars) == expected and len(values) == expected, f"scores.svg: {len(bars)} bars and {len(values)} value labels for {expected} rows")
    heights = {float(b.get("height")) for b in bars}
    check(min(heights) >= 10, f"scores.svg: bars are real bars ({min(heights):.1f} px high)")
    axis = [l for l in root.iter(SVG + "line") if l.get("stroke") == "#444" and l.get("x1") == l.get("x2")]
    top = min(float(b.get("y")) for b in bars)
    frame_top = min(float(l.get("y1")) for l in axis) if axis else 0
    check(top > frame_top, "scores.svg: the first bar is inside the plot, not on the axis")
    for row in rows:
        score = row["in_sample"]["standard"]
        label = [v for v in values if v.startswith(f"{score:.1f}")]
        check(bool(label), f"scores.svg: {row['name']} labelled {score:.1f}")
    scales = [float(b.get("width")) / abs(float(b.find(SVG + "title").text.rsplit(": ", 1)[1])) for b in bars
              if abs(float(b.find(SVG + "title").text.rsplit(": ", 1)[1])) >= 5]
    check(bool(scales) and max(scales) / min(scales) < 1.03, "scores.svg: bar lengths are proportional to the scores")
    published = [float(v) for v in values if "(" not in v]
    ordered = [float(v.split()[0]) for v in values]
    check(ordered == sorted(ordered, reverse=True), "scores.svg: bars sorted best first")
    check(len(published) >= 10, "scores.svg: the published scoreboard is drawn")


def nab_subset(corpus, target, files):
    """A NAB corpus of a few files: their data and their windows."""
    labels = json.load(open(os.path.join(corpus, "labels", "combined_windows.json")))
    os.makedirs(os.path.join(target, "labels"), exist_ok=True)
    subset = {name: labels[name] for name in files}
    json.dump(subset, open(os.path.join(target, "labels", "combined_windows.json"), "w"), indent=1)
    for name in files:
        os.makedirs(os.path.join(target, "data", os.path.dirname(name)), exist_ok=True)
        shutil.copy(os.path.join(corpus, "data", name), os.path.join(target, "data", name))


NAB_FILES = [
    "artificialNoAnomaly/art_daily_small_noise.csv",
    "artificialWithAnomaly/art_daily_jumpsup.csv",
    "artificialWithAnomaly/art_daily_flatmiddle.csv",
    "artificialWithAnomaly/art_increase_spike_density.csv",
    "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv",
    "realKnownCause/ambient_temperature_system_failure.csv",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", default=os.path.join(ROOT, ".build", "release", "notebooks"))
    parser.add_argument("--nab", default=os.path.join(os.path.dirname(ROOT), "shared", "datasets", "nab"),
                        help="the NAB corpus (a six-file subset of it is scored)")
    parser.add_argument("--keep", help="write the reports here (default: a temporary directory, removed)")
    parser.add_argument("--readme-screenshot", help="also write a screenshot of the heuristics report's top here (PNG)")
    args = parser.parse_args()
    if not os.access(args.notebooks, os.X_OK):
        sys.exit(f"render_report.py: {args.notebooks} is not built (make release)")
    binary = chromium_binary()
    if not binary:
        sys.exit("render_report.py: chromium could not be installed")
    print(subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip())

    work = args.keep or tempfile.mkdtemp(prefix="driftlab-report-")
    os.makedirs(work, exist_ok=True)
    try:
        negative_controls(binary, work)
        started = time.time()
        heuristics = os.path.join(work, "heuristics")
        run = subprocess.run([args.notebooks, "heuristics", "--seeds", "1", "--duration", "6h", "--out", heuristics],
                             capture_output=True, text=True)
        check(run.returncode == 0, f"notebooks heuristics ran ({time.time() - started:.1f} s, exit {run.returncode})")
        if run.returncode != 0:
            print(run.stderr)
        else:
            check(open(os.path.join(heuristics, "report.md")).read().strip() == run.stdout.strip(),
                  "heuristics: report.md is the markdown printed on stdout")
            check_heuristics(heuristics)
            image = render(binary, os.path.join(heuristics, "report.html"), os.path.join(work, "heuristics.png"), "heuristics report")
            if image and args.readme_screenshot:
                width, height, channels, rows = image
                column = 1008  # the page's column: 960 pixels and its padding, as tall as fits in 300 KB
                left = (width - column) // 2 * channels
                for tall in (2300, 2000, 1700, 1400, 1100):
                    crop = [bytearray(r[left:left + column * channels]) for r in rows[:tall]]
                    write_png(args.readme_screenshot, column, len(crop), channels, crop)
                    if os.path.getsize(args.readme_screenshot) < 300_000:
                        break
                print(f"wrote {args.readme_screenshot} ({os.path.getsize(args.readme_screenshot) // 1024} KiB)")

        if os.path.isdir(args.nab):
            started = time.time()
            corpus = os.path.join(work, "nab-corpus")
            nab_subset(args.nab, corpus, NAB_FILES)
            nab = os.path.join(work, "nab")
            run = subprocess.run([args.notebooks, "nab", "--data", corpus, "--detector", "windowed-gaussian", "relative-entropy",
                                  "zscore", "--out", nab], capture_output=True, text=True)
            check(run.returncode == 0, f"notebooks nab ran on {len(NAB_FILES)} files ({time.time() - started:.1f} s, exit {run.returncode})")
            if run.returncode != 0:
                print(run.stderr)
            else:
                check_nab(nab)
                render(binary, os.path.join(nab, "report.html"), os.path.join(work, "nab.png"), "NAB report")
        else:
            print(f"skip NAB: no corpus at {args.nab}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"\n{len(failures)} check(s) failed")
        sys.exit(1)
    print("\nall report checks passed")


if __name__ == "__main__":
    main()
