#!/usr/bin/env python3
"""Checks that NAB's own run.py reproduces every figure `notebooks nab --out DIR` wrote.

    notebooks nab --data ../shared/datasets/nab --out out/nab
    python3 Tests/nab-generator/check_with_nab_runpy.py --nab PATH/TO/NAB --results out/nab

PATH/TO/NAB is a checkout of github.com/numenta/NAB, with its data/ and labels/ (or symlinks to
../shared/datasets/nab's). NAB's runner needs pandas older than 2 (and so NumPy older than 2):
run this with such a Python, e.g. a virtual environment with `pip install "pandas==1.5.3" "numpy<2"`.
The results are copied to a temporary directory with NAB's results/null (the normaliser's
baseline), scored there by `run.py --score --normalize` with DIR/thresholds.json, and NAB's
final_results.json is compared with DIR/final_results.json.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nab", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--tolerance", type=float, default=1e-6)
    args = parser.parse_args()
    ours = json.load(open(os.path.join(args.results, "final_results.json")))
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "results")
        shutil.copytree(args.results, work)
        shutil.copytree(os.path.join(args.nab, "results", "null"), os.path.join(work, "null"))
        subprocess.run([sys.executable, "run.py", "-d", ",".join(ours), "--score", "--normalize",
                        "--skipConfirmation", "--resultsDir", work, "-t", os.path.join(work, "thresholds.json"),
                        "-n", "1"], cwd=args.nab, check=True, stdout=subprocess.DEVNULL)
        theirs = json.load(open(os.path.join(work, "final_results.json")))
    worst = 0.0
    for detector, profiles in ours.items():
        for profile, score in profiles.items():
            difference = abs(score - theirs[detector][profile])
            worst = max(worst, difference)
            print("%-40s %-20s DriftLab %.6f  NAB run.py %.6f" % (detector, profile, score, theirs[detector][profile]))
    print("largest difference: %.2e" % worst)
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
