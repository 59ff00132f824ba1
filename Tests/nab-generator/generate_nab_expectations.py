#!/usr/bin/env python3
"""Expected scores for DriftLab's ports of NAB detectors, from NAB's own code.

Runs NAB's CAD OSE, KNN CAD and relative-entropy detectors (Python 3, NumPy,
SciPy; pandas is not needed: NAB's AnomalyDetector base class is replaced by a
stand-in that gives the detector what NAB's gives it, the file's minimum and
maximum and its probationary period) on a few short NAB files, and writes
their scores, as NAB's results files would hold them (Python 2 str, 12
significant digits), to Tests/DriftDetectionTests/Fixtures/nab_ports.json.

    python3 Tests/nab-generator/generate_nab_expectations.py --nab PATH/TO/NAB \
        --data ../shared/datasets/nab

PATH/TO/NAB is a checkout of github.com/numenta/NAB (its `nab/` package is
imported from there; nothing of it is copied here).
"""
import argparse
import json
import math
import os
import sys
import types


def stand_in_base():
    module = types.ModuleType("nab.detectors.base")

    class AnomalyDetector(object):
        def __init__(self, values, probationaryPercent=0.15):
            n = len(values)
            self.probationaryPeriod = min(math.floor(probationaryPercent * n), probationaryPercent * 5000)
            self.inputMin = min(values)
            self.inputMax = max(values)

        def initialize(self):
            pass

    module.AnomalyDetector = AnomalyDetector
    return module


def read_values(path):
    with open(path) as f:
        lines = f.read().splitlines()[1:]
    return [float(line.split(",", 1)[1]) for line in lines if line.strip()]


def py2_str(x):
    text = "%.12g" % x
    return text if any(c in text for c in ".eni") else text + ".0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nab", required=True, help="a checkout of numenta/NAB")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/datasets/nab"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__),
                                                     "../DriftDetectionTests/Fixtures/nab_ports.json"))
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.nab))
    import nab.detectors  # noqa: F401  (the package, so that the stand-in can take its place)
    sys.modules["nab.detectors.base"] = stand_in_base()
    from nab.detectors.context_ose.context_ose_detector import ContextOSEDetector
    from nab.detectors.knncad.knncad_detector import KnncadDetector
    from nab.detectors.relative_entropy.relative_entropy_detector import RelativeEntropyDetector

    files = ["realTraffic/speed_7578.csv", "realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv"]
    out = {"generator": "Tests/nab-generator/generate_nab_expectations.py", "files": {}}
    for name in files:
        values = read_values(os.path.join(args.data, "data", name))
        entry = {"rows": len(values)}
        for key, cls in (("cad-ose", ContextOSEDetector), ("knncad", KnncadDetector),
                         ("relative-entropy", RelativeEntropyDetector)):
            detector = cls(values)
            detector.initialize()
            scores = [detector.handleRecord({"value": v})[0] for v in values]
            entry[key] = [float(py2_str(s)) for s in scores]
        out["files"][name] = entry
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
