#!/usr/bin/env python3
"""Writes Tests/MonitoringTests/PythonFixtures/date_bridge.json: how Python
turns naive local timestamps into instants and back, around daylight-saving
changes, for the tests of `LocalTimestamp` <-> `Foundation.Date`.

For each time zone (set with TZ and time.tzset(), as the reference's
`datetime.now()` reads the machine's zone):

- "to_instant": naive `isoformat` text -> the Unix second of
  `datetime.fromisoformat(text).replace(microsecond=0).timestamp()` (fold=0:
  the first of a repeated hour, the earlier offset in a skipped one) and the
  microsecond, so that no float rounding enters the fixture;
- "from_instant": Unix second and microsecond -> `datetime.fromtimestamp(s)
  .replace(microsecond=us).isoformat()`.

Run from the repository root: python3 Tests/fixture-generator/generate_date_fixtures.py
"""
import json
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "MonitoringTests" / "PythonFixtures" / "date_bridge.json"

# Each zone with the local wall-clock times of its 2026 changes (and a
# southern-hemisphere zone, a half-hour change and zones without DST).
ZONES = {
    "America/New_York": ["2026-03-08T02:00:00", "2026-11-01T01:00:00"],
    "Europe/Berlin": ["2026-03-29T02:00:00", "2026-10-25T02:00:00"],
    "Australia/Sydney": ["2026-04-05T02:00:00", "2026-10-04T02:00:00"],
    "Australia/Lord_Howe": ["2026-04-05T01:30:00", "2026-10-04T02:00:00"],
    "Asia/Kolkata": ["2026-03-08T02:00:00"],
    "UTC": ["2026-03-08T02:00:00"],
}
# Offsets around each change: before, in and after the skipped or repeated hour.
MINUTES = [-61, -60, -59, -1, 0, 1, 15, 29, 30, 31, 45, 59, 60, 61, 90, 120]
MICROSECONDS = [0, 1, 500_000, 999_999]


def main():
    cases = []
    for zone, changes in ZONES.items():
        os.environ["TZ"] = zone
        time.tzset()
        to_instant, from_instant = [], []
        for change in changes:
            base = datetime.fromisoformat(change)
            for i, minute in enumerate(MINUTES):
                naive = base + timedelta(minutes=minute, microseconds=MICROSECONDS[i % len(MICROSECONDS)])
                second = naive.replace(microsecond=0).timestamp()
                assert second == int(second)
                to_instant.append({"naive": naive.isoformat(), "second": int(second), "microsecond": naive.microsecond})
            # Instants every 15 minutes for three hours around the change.
            start = int(base.replace(microsecond=0).timestamp()) - 5400
            for k in range(13):
                second = start + 900 * k
                microsecond = MICROSECONDS[k % len(MICROSECONDS)]
                local = datetime.fromtimestamp(second).replace(microsecond=microsecond)
                from_instant.append({"second": second, "microsecond": microsecond, "naive": local.isoformat()})
        cases.append({"zone": zone, "to_instant": to_instant, "from_instant": from_instant})
    OUT.write_text(json.dumps({"python": ".".join(map(str, __import__("sys").version_info[:3])), "zones": cases},
                              indent=1) + "\n")
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")


if __name__ == "__main__":
    main()
