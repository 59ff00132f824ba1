#!/usr/bin/env python3
"""Expected values for DriftLab's ARTime port (`ARTimeTests`).

1. NAB's stored ARTime results (results/ARTime/<folder>/ARTime_<file>.csv of a
   NAB checkout or bare git directory: the scores of ARTime's Julia code as NAB
   ran it) for a few NAB files, kept sparse (row count and the non-zero rows),
   each score rounded to 6 decimals as ARTime rounds it (NAB's pandas
   round trip stores 0.388543 as 0.38854299999999997).
2. The Haar transform of Wavelets.jl (`dwt(x, wavelet(WT.haar))`, 8 values,
   full depth) on a few windows, computed two independent ways: Wavelets.jl's
   `filtdown!` loop transcribed index for index (periodic filtering and
   downsampling with the normalised filter and its mirror; exact), and
   NumPy's orthonormal Haar matrix product (to 1e-15).

    python3 Tests/nab-generator/generate_artime_fixture.py --nab PATH/TO/NAB

writes Tests/DriftDetectionTests/Fixtures/artime.json.
"""
import argparse
import csv
import io
import json
import math
import os

import numpy as np

from nab_source import read_nab

FILES = [
    "realTraffic/speed_7578.csv",                            # 1,127 rows, one row per point, anomalies
    "artificialWithAnomaly/art_daily_jumpsdown.csv",         # 4,032 rows, 5 rows per point
    "realKnownCause/nyc_taxi.csv",                           # 10,320 rows, 7 rows per point
]


def stored_scores(nab, name):
    folder, file = name.split("/")
    text = read_nab(nab, "results/ARTime/%s/ARTime_%s" % (folder, file))
    return [round(float(r["anomaly_score"]) * 1e6) / 1e6 for r in csv.DictReader(io.StringIO(text))]


# Wavelets.jl: OrthoFilter(WT.haar) normalises [c, c] by its 2-norm; dwt's
# forward filters are reverse(h) (scaling) and mirror(h) = h .* [1, -1] (detail).
C = 0.7071067811865475
H = [C / math.sqrt(C * C + C * C)] * 2
SCALING, DETAIL = list(reversed(H)), [H[0], -H[1]]


def split_down_range(istart, ix, nx, shift):
    ixsh = -1 + shift + ix
    if (shift % nx) + ix == 1 + ixsh:
        iend = nx - 1
        while ((iend - 1 + shift) % nx) + ix != iend + ixsh:
            iend -= 1
        return range(0), range(1, iend + 1), range(iend + 1, nx - 1 + istart + 1)
    if ((istart - 1 + shift) % nx) + ix == istart + ixsh:
        iend = nx - 1 + istart
        while ((iend - 1 + shift) % nx) + ix != iend + ixsh:
            iend -= 1
        return range(1, istart), range(istart, iend + 1), range(iend + 1, nx - 1 + istart + 1)
    return range(0), range(0), range(1, nx - 1 + istart + 1)


def filtdown(f, out, iout, nout, x, ix, shift, ss):
    """Wavelets.jl's filtdown! for a 2-tap filter, 1-based indices as in Julia."""
    nx = nout << 1
    si = [0.0]
    istart = len(f) + int(ss)
    dsshift = (len(f) % 2 + int(ss)) % 2
    before, inside, after = split_down_range(istart, ix, nx, shift)
    for i in before:
        si[0] = f[1] * x[((i - 1 + shift) % nx) + ix - 1]
    for i, periodic in [(i, False) for i in inside] + [(i, True) for i in after]:
        v = x[((i - 1 + shift) % nx) + ix - 1] if periodic else x[i - 1 + shift + ix - 1]
        if (i + dsshift) % 2 == 0 and i >= istart:
            out[((i - istart) >> 1) + iout - 1] = si[0] + f[0] * v
        si[0] = f[1] * v


def wavelets_jl_haar(x):
    n = len(x)
    levels = int(math.log2(n))
    y = [0.0] * n
    s = list(x)
    for level in range(1, levels + 1):
        count = round(n / 2 ** level)
        filtdown(DETAIL, y, count + 1, count, s, 1, -1, True)   # detailindex(n, l, 1), shift -filtlen+1
        filtdown(SCALING, y, 1, count, s, 1, 0, False)
        s = y[:count]
    return y


def numpy_haar(x):
    """Orthonormal Haar analysis as matrices: a = (x₂ₖ + x₂ₖ₊₁)/√2, d = (x₂ₖ₊₁ − x₂ₖ)/√2."""
    x = np.asarray(x, dtype=float)
    out = []
    while len(x) > 1:
        pairs = x.reshape(-1, 2)
        out.insert(0, (pairs @ np.array([-1.0, 1.0])) / np.sqrt(2.0))
        x = (pairs @ np.array([1.0, 1.0])) / np.sqrt(2.0)
    return np.concatenate([x] + out).tolist()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nab", required=True, help="a NAB checkout or bare git directory of numenta/NAB")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__),
                                                     "../DriftDetectionTests/Fixtures/artime.json"))
    args = parser.parse_args()
    out = {"generator": "Tests/nab-generator/generate_artime_fixture.py", "files": {}, "haar": []}
    for name in FILES:
        scores = stored_scores(args.nab, name)
        out["files"][name] = {"rows": len(scores),
                              "nonzero": [[i, s] for i, s in enumerate(scores) if s != 0]}
    rng = np.random.default_rng(20211201)
    windows = [[1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 1], [1, 2, 3, 4, 5, 6, 7, 8],
               [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]
    windows += [(np.round(rng.random(8) * 80) / 80).tolist() for _ in range(6)]
    windows += [rng.random(8).tolist() for _ in range(6)]
    for x in windows:
        exact = wavelets_jl_haar(x)
        independent = numpy_haar(x)
        assert np.allclose(exact, independent, rtol=0, atol=1e-14), (x, exact, independent)
        out["haar"].append({"x": x, "wavelets_jl": exact, "numpy": independent})
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote", args.out, {k: len(v["nonzero"]) for k, v in out["files"].items()})


if __name__ == "__main__":
    main()
