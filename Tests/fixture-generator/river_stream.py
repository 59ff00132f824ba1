#!/usr/bin/env python3
"""Writes the input of River's documented drift examples (ADWIN, PageHinkley, KSWIN):

    rng = random.Random(12345)
    data_stream = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)

River's docs report the first detections at index 1023 (ADWIN), 1006 (PageHinkley) and
1016 (KSWIN with alpha=0.0001); DriftDetectionTests checks DriftLab's detectors against them.
Run from the repository root: python3 Tests/fixture-generator/river_stream.py
"""
import json
import random
from pathlib import Path

rng = random.Random(12345)
data_stream = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
out = Path(__file__).resolve().parents[1] / "DriftDetectionTests" / "Fixtures" / "river_stream.json"
out.write_text(json.dumps(data_stream) + "\n")
print("wrote", out)
