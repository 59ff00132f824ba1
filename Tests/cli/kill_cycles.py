#!/usr/bin/env python3
"""kill -9 cycles against `notebooks record`: each cycle starts `record` on the same
directory, feeds predictions, waits for a `{"command": "flush"}` acknowledgement, feeds more,
then SIGKILLs it. After every cycle every line on disk must be whole JSON and the log must
hold at least every acknowledged prediction. Prints the counts; exits 1 on any loss.

    python3 Tests/cli/kill_cycles.py [--binary .build/release/notebooks] [--cycles 20]
"""
import argparse, json, os, pathlib, random, signal, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "notebooks"))
    parser.add_argument("--cycles", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(7)
    base = pathlib.Path(tempfile.mkdtemp(prefix="driftlab-kill-"))
    log = base / "monitor" / "predictions.json"
    acknowledged = 0
    failures = 0
    for cycle in range(args.cycles):
        process = subprocess.Popen([args.binary, "record", str(base), "--no-loop"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        before = rng.randint(1, 3000)
        for i in range(before):
            process.stdin.write(json.dumps({"prediction": f"l{i % 3}", "confidence": rng.random(),
                                            "processing_time": rng.random(), "text": "cycle %d" % cycle}) + "\n")
        process.stdin.write('{"command": "flush"}\n')
        process.stdin.flush()
        line = process.stdout.readline()
        if '"flushed"' not in line:
            print(f"cycle {cycle}: no flush acknowledgement: {line!r}")
            failures += 1
        acknowledged += before
        for i in range(rng.randint(0, 3000)):  # not acknowledged: may or may not survive
            process.stdin.write(json.dumps({"prediction": "x", "confidence": 0.5, "processing_time": 0.1}) + "\n")
        process.stdin.flush()
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        lines = log.read_bytes().split(b"\n")
        whole = 0
        for index, raw in enumerate(lines):
            if not raw:
                continue
            try:
                json.loads(raw)
                whole += 1
            except ValueError:
                # Only a torn last line may be left by a kill; the next start repairs it.
                if index != len(lines) - 1:
                    print(f"cycle {cycle}: a broken line in the middle of the log")
                    failures += 1
        kept = sum(1 for raw in lines if raw and b'"prediction": "l' in raw)
        if kept < acknowledged:
            print(f"cycle {cycle}: {kept} acknowledged predictions on disk, {acknowledged} acknowledged")
            failures += 1
    print(f"{args.cycles} kill -9 cycles: {acknowledged} acknowledged predictions, "
          f"{kept} on disk, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
