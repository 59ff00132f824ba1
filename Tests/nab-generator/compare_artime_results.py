#!/usr/bin/env python3
"""Compares DriftLab's ARTime port with NAB's stored ARTime results, row by row.

NAB's results/ARTime/<folder>/ARTime_<file>.csv hold the scores of ARTime's
Julia code (ARTimeNAB.jl) as NAB ran it. ARTime rounds each score to 6
decimals (Julia's `round(s, digits=6)`); NAB's later steps re-read the files
with pandas, whose float parser is sometimes one ulp off (0.388543 is stored
as 0.38854299999999997), so a stored score is compared after rounding it to
6 decimals again, exactly as ARTime does (round half to even of s·10⁶,
divided by 10⁶).

    notebooks nab --data ../shared/datasets/nab --detector artime --out /tmp/nab
    python3 Tests/nab-generator/compare_artime_results.py --nab PATH/TO/NAB \
        --ours /tmp/nab/driftlab-artime

PATH/TO/NAB is a NAB checkout or a bare git directory of github.com/numenta/NAB
(then read with `git show HEAD:…`). Prints, per file, the rows that differ and
the largest difference, and a summary line.
"""
import argparse
import csv
import io
import os
import sys

from nab_source import list_nab, read_nab


def scores(text):
    return [float(row["anomaly_score"]) for row in csv.DictReader(io.StringIO(text))]


def artime_round(x):
    return round(x * 1e6) / 1e6   # Python's round is half to even, as Julia's


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nab", required=True)
    parser.add_argument("--ours", required=True, help="DriftLab's results directory of the ARTime entry")
    parser.add_argument("--prefix", default="driftlab-artime")
    args = parser.parse_args()
    files = [p for p in list_nab(args.nab, "results/ARTime") if p.count("/") == 3 and p.endswith(".csv")]
    matching, total_rows, differing_rows, largest = 0, 0, 0, 0.0
    for relative in files:
        folder, name = relative.split("/")[2], relative.split("/")[3][len("ARTime_"):]
        stored = [artime_round(s) for s in scores(read_nab(args.nab, relative))]
        ours_path = os.path.join(args.ours, folder, "%s_%s" % (args.prefix, name))
        with open(ours_path) as f:
            ours = scores(f.read())
        if len(ours) != len(stored):
            print("%s/%s: %d rows, NAB %d" % (folder, name, len(ours), len(stored)))
            continue
        diff = [i for i, (a, b) in enumerate(zip(ours, stored)) if a != b]
        total_rows += len(stored)
        differing_rows += len(diff)
        if diff:
            worst = max(abs(ours[i] - stored[i]) for i in diff)
            largest = max(largest, worst)
            print("%s/%s: %d of %d rows differ (first at row %d: %r against NAB's %r), largest %.6f"
                  % (folder, name, len(diff), len(stored), diff[0], ours[diff[0]], stored[diff[0]], worst))
        else:
            matching += 1
    print("%d of %d files match NAB's stored ARTime scores on every row; %d of %d rows differ; largest difference %.6f"
          % (matching, len(files), differing_rows, total_rows, largest))
    return 0 if matching == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
