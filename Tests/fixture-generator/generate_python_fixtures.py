#!/usr/bin/env python3
"""Writes fixtures whose expected values come from Python itself (3.11, as the
reference runs), for the Swift unit tests, which must not need Python:

- Tests/MonitoringTests/PythonFixtures/fromisoformat.jsonl: ~700 timestamp
  forms, each with what `datetime.fromisoformat` makes of it (its
  `isoformat()`, or null when it raises or gives an aware value, which the
  reference cannot compare with its naive clock);
- Tests/MonitoringTests/PythonFixtures/json_objects.jsonl: JSON documents with
  repeated keys and large objects, each with `json.loads`'s members in order;
- Tests/MonitoringTests/PythonFixtures/md5.jsonl: texts (every length 0-200 of
  one byte, to cross MD5's 64-byte block boundaries, and random texts of one-
  to four-byte scalars) with the reference's hash of each,
  `hashlib.md5(text.encode()).hexdigest()[:16]`.

Run from the repository root: python3 Tests/fixture-generator/generate_python_fixtures.py
"""
import hashlib
import json
import random
import sys
from datetime import datetime
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "MonitoringTests" / "PythonFixtures"


def fromisoformat(text):
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if value.tzinfo is not None else value.isoformat()


def timestamp_forms():
    dates = ["2026-11-29", "20261129", "2026-W48-1", "2026W481", "2026-W48", "2026W48"]
    separators = ["T", " ", "\u00e9"]
    times = ["12", "12:34", "1234", "12:34:56", "123456", "12:34:56.7", "12:34:56.78", "12:34:56.789012",
             "12:34:56.7890123", "12:34:56,5", "12:34:56:123456", "12:34:56:", "123456:7", "12000012", "1200001",
             "12.5", "12:30.5", "12,5", "1230.25", "12:", "1", "123", "12:3", "12:34:5", "24:00", "23:60",
             "12:34:60", "12:34:56.", "12:34:56.5x", "12:34:56Z", "12:34:56+01:00", "12:34:56-05", "1234:56",
             "12:3456", "", " 12:00", "12:00 ", "12:34:56.1234567890", "12:34:56,", "00", "23:59:59.999999",
             "12:34:56.000001", "T12", "12:34:56.12345", "12::34", "1:23"]
    forms = []
    for date in dates:
        forms.append(date)
        for separator in separators:
            for time in times:
                forms.append(date + separator + time)
    edge_dates = ["2024-02-29", "2026-02-29", "2100-02-29", "2000-02-29", "0000-01-01", "0001-01-01", "9999-12-31",
                  "9999-W52-5", "9999-W52-6", "2026-W53", "2020-W53", "2020-W53-7", "2015-W53-4", "2026-W00",
                  "2026-W48-0", "2026-W48-8", "2026-13-01", "2026-00-10", "2026-11-31", "2026-11-00", "2026-1129",
                  "202611-29", "2026W4", "2026-W4", "2026W4812", "2026W48123", "2026W481234", "2026W4812345",
                  "2026-W48-1200", "2026-W48-12:00", "2026-W48-1T12", "2026-W48-", "2026-W481", "2026-W48X12",
                  "2026-11-2", "2026-11-29T", "2026-11-2912:00", "2026-11-29-12:00", "2026-11-29112:00",
                  "2026-11-29\U0001F600" + "12:00", "2026-11-29\u20ac12:00", "2026-11-29\t12:00", "2026-11-29W12",
                  "2026-11-29T12:00:00.0", "1970-01-01T00:00:00", "2026/11/29", "26-11-29", "+2026-11-29",
                  "2026-11-29T12:00:00.\u0661", "\u0662026-11-29", "2026-11-29T\u0661\u0662:00", "yesterday", "",
                  "2026-1-29", "2026-11-29T12:00:00.5Z", "2026-11-29T12:00:00+00:00", "2026-11-29T12-05",
                  "2026-11-29T12+0530", "2026-11-29T1:00", "2026-11-29T12:00:00.123456789123",
                  "0000-W01-1", "0000W011", "2026-11-29T12:00:00.5\x00x", "2026-11-29T12\x00", "2026-11-29\x0012:00",
                  "2026-W48-1\x0012"]
    forms.extend(edge_dates)
    rng = random.Random(12)
    alphabet = "0123456789-:TW .,Z+"
    while len(set(forms)) < 700:
        base = rng.choice(forms)
        chars = list(base)
        for _ in range(rng.randint(1, 3)):
            op = rng.randint(0, 2)
            position = rng.randint(0, len(chars))
            if op == 0:
                chars.insert(position, rng.choice(alphabet))
            elif chars and op == 1:
                del chars[min(position, len(chars) - 1)]
            elif chars:
                chars[min(position, len(chars) - 1)] = rng.choice(alphabet)
        forms.append("".join(chars))
    seen = set()
    unique = []
    for form in forms:
        if form not in seen:
            seen.add(form)
            unique.append(form)
    return unique


def json_documents():
    rng = random.Random(7)
    documents = ['{"a": 1, "b": 2, "a": 3}',
                 '{"x": {"k": 1, "k": {"k": 2}}, "y": [1, {"z": 1, "z": 2}], "x": null}',
                 '{"": 0, "\\u00e9": 1, "\u00e9": 2, "e\\u0301": 3}']
    for count in (7, 8, 9, 10, 17, 100, 5000):
        keys = [f"k{i}" for i in range(count)]
        members = [(key, i) for i, key in enumerate(keys)]
        # Repeat a third of the keys later with new values, in shuffled order.
        repeats = rng.sample(keys, count // 3)
        members += [(key, f"again-{key}") for key in repeats]
        rng.shuffle(members)
        documents.append("{" + ", ".join(json.dumps(k) + ": " + json.dumps(v) for k, v in members) + "}")
    cases = []
    for text in documents:
        value = json.loads(text)
        cases.append({"text": text, "items": [[k, v] for k, v in value.items()]})
    return cases


def md5_cases():
    pieces = ["a", "word", " ", "\t", "\n", '"', "\\", "\x7f", "\x01", "\u00e9", "\u00df", "\u00a0",
              "\u2003", "\u20ac", "\u4e2d", "\U0001F600", "\U0010FFFF", "/", "{}", "x y z"]
    rng = random.Random(5)
    texts = [""] + ["x" * n for n in range(1, 201)]
    for _ in range(2000):
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 80))))
    return [{"text": t, "hash": hashlib.md5(t.encode()).hexdigest()[:16]} for t in texts]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    forms = timestamp_forms()
    with open(OUT / "fromisoformat.jsonl", "w", encoding="utf-8") as f:
        for form in forms:
            f.write(json.dumps({"text": form, "expected": fromisoformat(form)}) + "\n")
    with open(OUT / "json_objects.jsonl", "w", encoding="utf-8") as f:
        for case in json_documents():
            f.write(json.dumps(case) + "\n")
    with open(OUT / "md5.jsonl", "w", encoding="utf-8") as f:
        for case in md5_cases():
            f.write(json.dumps(case) + "\n")
    print(f"{len(forms)} timestamp forms (Python {sys.version.split()[0]}), json cases written to {OUT}")


if __name__ == "__main__":
    main()
