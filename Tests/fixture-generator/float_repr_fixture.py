#!/usr/bin/env python3
"""Writes float_repr.txt: doubles and Python's repr of each, the oracle for DriftLab's byte
formatter of log-line floats (Tests/MonitoringTests/LineEncodingPropertyTests.swift).

    python3 Tests/fixture-generator/float_repr_fixture.py

Each line: the double's 64 bits in hex, a space, repr(x). Seeded, so reruns are identical.
"""
import math
import random
import struct
from pathlib import Path

OUT = Path(__file__).resolve().parent / "float_repr.txt"


def from_bits(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def bits_of(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def main():
    rng = random.Random(20261129)
    values = [0.0, -0.0, 1.0, 0.1, 1e-05, 0.0001, 1e16, 1e15, 9999999999999998.0, 5e-324,
              2.2250738585072014e-308, 1.7976931348623157e308, 0.30000000000000004, 1e22, 1e23]
    for p in range(-325, 309):
        for m in (1.0, 1.5, 9.999999999999999):
            x = m * 10.0 ** p if p < 300 else float(f"{m}e{p}")
            values.append(x)
    while len(values) < 6000:
        kind = rng.randrange(6)
        if kind == 0:
            x = from_bits(rng.getrandbits(64))
        elif kind == 1:
            x = from_bits(rng.getrandbits(52))  # subnormal
        elif kind == 2:
            x = float(rng.getrandbits(63) >> rng.randrange(64))  # integral
        elif kind == 3:
            x = rng.randrange(10**9) / 10 ** rng.randrange(12)  # short decimals
        elif kind == 4:
            x = rng.random() * 10 ** rng.randrange(-20, 20)
        else:
            x = float(struct.unpack("<f", struct.pack("<f", rng.random()))[0])  # float32 confidences
        if rng.randrange(2):
            x = -x
        values.append(x)
    with OUT.open("w") as f:
        for x in values:
            if math.isfinite(x):
                f.write(f"{bits_of(x):016x} {x!r}\n")


if __name__ == "__main__":
    main()
