#!/usr/bin/env python3
"""Side-by-side check of the AVX2 column kernels (Sources/CColumnKernels) against numpy.

Compiles ColumnKernels.c into a shared library with the system C compiler (cc, or $CC) and feeds
it columns through ctypes: every length 0...300 and some large ones, with NaN (both signs, payloads,
signalling), signed zeros, infinities, subnormals, the largest doubles and 1e16 among values below
its ulp. Checks, for each of several passes:
  - the sum against np.add.reduce, bit for bit (a NaN sum: NaN-ness only, see below);
  - every count below a threshold against np.sum(a < t) and the count above against np.sum(a > t),
    with thresholds NaN, +-inf, -0.0, +0.0, the least subnormal and +-1e16;
  - the range against a.min()/a.max() on columns without NaN;
and the label kernel against np.bincount for 1...8 codes.
Also reports (without failing) how often a column holding several NaNs, or a NaN and inf - inf,
sums to a NaN with another sign or payload than numpy's.

Run from the repository root:  python3 Tests/differential/column_kernels_numpy.py
Exits 0 (after printing why) on a CPU without AVX2 or without a C compiler; 1 on any difference.
"""
import ctypes
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "Sources" / "CColumnKernels"


class Pass(ctypes.Structure):
    _fields_ = [("thresholds", ctypes.c_double * 8), ("thresholdCount", ctypes.c_int32),
                ("countAbove", ctypes.c_int32), ("aboveThreshold", ctypes.c_double), ("findRange", ctypes.c_int32)]


class Result(ctypes.Structure):
    _fields_ = [("sum", ctypes.c_double), ("below", ctypes.c_int64 * 8), ("above", ctypes.c_int64),
                ("minimum", ctypes.c_double), ("maximum", ctypes.c_double)]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def build(directory):
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("clang") or shutil.which("gcc")
    if cc is None:
        return None
    library = Path(directory) / "libcolumnkernels.so"
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-I", str(SOURCE / "include"), str(SOURCE / "ColumnKernels.c"),
                    "-o", str(library)], check=True)
    return ctypes.CDLL(str(library))


NAN_PAYLOAD, NEGATIVE_NAN, SIGNALLING = from_bits(0x7FF8000000000007), from_bits(0xFFF8000000000123), from_bits(0x7FF0000000000001)
SPECIALS = np.array([0.0, -0.0, np.inf, -np.inf, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                     -1.7976931348623157e308, 1e16, -1e16, 1.0, 0.5, 0.6, 0.7, 0.9, 5.0, 1e-300, 3.0])
THRESHOLDS = [[], [0.5], [0.5, 0.7, 0.8, 0.9, 0.6], [-0.0, 0.0, np.inf, -np.inf, np.nan, 5e-324, 1e16, -1e16]]
ABOVE = [None, 5.0, -0.0, 0.0, np.inf, -np.inf, np.nan]


def columns(rng):
    for n in range(0, 301):
        yield rng.random(n)
        yield rng.choice(SPECIALS, n)
        yield np.where(rng.random(n) < 0.1, 1e16, rng.random(n) * 3)
        if n:
            for nan in [np.nan, -np.nan, NAN_PAYLOAD, NEGATIVE_NAN, SIGNALLING]:
                a = rng.random(n)
                a[rng.integers(n)] = nan
                yield a
    for n in [1000, 1023, 1024, 1025, 4103, 10003, 65549, 100001, 1 << 20 | 5]:
        yield rng.random(n)
        yield rng.choice(SPECIALS[:-1], n)
        yield np.where(rng.random(n) < 0.01, 1e16, rng.random(n) * 3)
        yield rng.standard_normal(n) * 1e300


def main():
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        print("column_kernels_numpy: skipped, not x86-64 Linux")
        return 0
    with tempfile.TemporaryDirectory() as directory:
        lib = build(directory)
        if lib is None:
            print("column_kernels_numpy: skipped, no C compiler")
            return 0
        if lib.driftlab_column_kernels_available() != 1:
            print("column_kernels_numpy: skipped, this CPU has no AVX2")
            return 0
        run = lib.driftlab_column_pass_avx2
        run.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.POINTER(Pass), ctypes.POINTER(Result)]
        count_codes = lib.driftlab_count_codes_avx2
        count_codes.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_int32, ctypes.c_void_p]
        rng = np.random.default_rng(1)
        failures, checked = [], 0
        with np.errstate(all="ignore"):
            for a in columns(rng):
                a = np.ascontiguousarray(a, dtype=np.float64)
                want = float(np.add.reduce(a)) if len(a) else 0.0
                for thresholds in THRESHOLDS:
                    for above in ABOVE:
                        p = Pass()
                        for k, t in enumerate(thresholds):
                            p.thresholds[k] = t
                        p.thresholdCount, p.findRange = len(thresholds), 1
                        p.countAbove, p.aboveThreshold = (0, 0.0) if above is None else (1, above)
                        r = Result()
                        run(a.ctypes.data if len(a) else None, len(a), ctypes.byref(p), ctypes.byref(r))
                        checked += 1
                        problems = []
                        if np.isnan(want) != np.isnan(r.sum) or (not np.isnan(want) and bits(want) != bits(r.sum)):
                            problems.append(f"sum {r.sum!r} against {want!r}")
                        for k, t in enumerate(thresholds):
                            if r.below[k] != int(np.sum(a < t)):
                                problems.append(f"below {t}: {r.below[k]} against {int(np.sum(a < t))}")
                        if r.above != (0 if above is None else int(np.sum(a > above))):
                            problems.append(f"above {above}: {r.above}")
                        if len(a) and not np.isnan(a).any() and not (r.minimum == a.min() and r.maximum == a.max()):
                            problems.append(f"range {r.minimum}...{r.maximum} against {a.min()}...{a.max()}")
                        if problems:
                            failures.append((len(a), thresholds, above, problems))
            # NaN sign and payload, informational.
            nan_pool = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, NEGATIVE_NAN, NAN_PAYLOAD, 0.5, 5.0])
            nan_columns = nan_differences = 0
            for n in range(1, 301):
                a = rng.choice(nan_pool, n)
                want = float(np.add.reduce(a))
                if not np.isnan(want):
                    continue
                r = Result()
                run(a.ctypes.data, n, ctypes.byref(Pass()), ctypes.byref(r))
                nan_columns += 1
                nan_differences += bits(r.sum) != bits(want)
        for code_count in range(1, 9):
            for n in list(range(0, 300)) + [4097, 100003]:
                codes = rng.integers(0, code_count, n).astype(np.uint32)
                counts = np.full(8, 7, dtype=np.int64)
                count_codes(codes.ctypes.data if n else None, n, code_count, counts.ctypes.data)
                want = np.bincount(codes, minlength=8)[:8] + 7
                checked += 1
                if not (counts[:code_count] == want[:code_count]).all() or not (counts[code_count:] == 7).all():
                    failures.append((n, code_count, "label counts", list(counts)))
    for failure in failures[:10]:
        print("difference:", failure)
    print(f"column_kernels_numpy: {checked} passes checked, {len(failures)} differences; "
          f"NaN sums with another NaN than numpy's: {nan_differences} of {nan_columns} (not a failure)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
