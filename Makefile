# DriftLab: `make test` runs the test suite, `make demo` the main job end to end.
# Both first make sure OpenBLAS (Debian's libopenblas-dev) is installed.

SWIFT ?= swift
NOTEBOOKS := .build/release/notebooks
DEMO_DIR := datasets/example-monitor
DEMO_NOW := 2026-11-29T12:00:00
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release test demo fleet serve-load example example-app public-api datasets fixtures compare interop reliability differential river-fixtures fuzz check-options report-check cli-polish python-fixtures clean

all: build

deps:
	@dpkg -s libopenblas-dev >/dev/null 2>&1 && command -v pkg-config >/dev/null 2>&1 \
	  || ($(SUDO) apt-get update && $(SUDO) apt-get install -y libopenblas-dev pkg-config)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product notebooks

test: deps
	$(SWIFT) test

# Two `notebooks serve` replicas scraped by a real Prometheus (installs Debian's prometheus if missing).
fleet: release
	python3 Tests/fleet/fleet_test.py

# wrk against `notebooks serve`, side by side with in-process recording (installs Debian's wrk if missing).
serve-load: release
	Benchmarks/compare/serve_load.sh

DEMO_SCENARIO := sudden-confidence-drop
DEMO_OUT := out/demo

demo: release
	@echo "== 1. simulate 6 hours of traffic; at 3h every confidence drops by 35%"
	@$(NOTEBOOKS) simulate --scenario $(DEMO_SCENARIO) --seed 7 --out $(DEMO_OUT)
	@echo
	@echo "== 2. replay it through the live monitor: metrics every 30 minutes, every alert as it fires"
	@$(NOTEBOOKS) replay $(DEMO_OUT) --every 30m
	@echo
	@echo "== 3. the metrics five minutes before the onset (records up to then only)"
	@$(NOTEBOOKS) analyze $(DEMO_OUT) --now 2026-01-05T02:55:00 --as-of --format table | head -20
	@echo
	@echo "== 4. and thirty minutes after it"
	@$(NOTEBOOKS) analyze $(DEMO_OUT) --now 2026-01-05T03:30:00 --as-of --format table | head -20
	@echo
	@echo "== 5. DriftLab's recommended drift detector on the same stream"
	@$(NOTEBOOKS) detect $(DEMO_OUT) --format table

# The small example directory written by the fixture generator, analysed as the reference would.
example: release
	@$(NOTEBOOKS) analyze $(DEMO_DIR) --now $(DEMO_NOW) --format table

# Rewrite the scenario files and the committed samples from the built-in catalogue
# (no samples for the two-day realistic scenarios: simulate them with their file).
datasets: release
	@for s in $$($(NOTEBOOKS) simulate --list | awk '{print $$1}'); do \
	  $(NOTEBOOKS) simulate --scenario $$s --print-scenario > datasets/scenarios/$$s.json; \
	  case $$s in realistic-*) continue;; esac; \
	  $(NOTEBOOKS) simulate --scenario datasets/scenarios/$$s.json --seed 1 --rate 0.1 --out datasets/samples/$$s; \
	done

# Regenerate the reference fixtures (needs Python 3 with numpy and ../shared/reference).
fixtures:
	python3 Tests/fixture-generator/generate_fixtures.py
	python3 Tests/fixture-generator/float_repr_fixture.py

# Compare `notebooks analyze` with the reference's answers on every fixture.
compare: release
	python3 Tests/fixture-generator/compare_cli.py

# Interop with the reference, both ways (needs Python 3 with numpy and ../shared/reference).
interop: release
	python3 Tests/interop/check_interop.py

# CLI-level reliability checks (issue 12): full disk, broken pipes, shrinking logs, permissions,
# rotation gaps, the writer lock. The tmpfs and uid-65534 checks need root; they are skipped otherwise.
reliability: release
	Tests/cli/reliability.sh $(NOTEBOOKS)

# The README's embedding example: an app depending on this package by path, built and run.
example-app:
	cd Examples/EmbeddingApp && $(SWIFT) run EmbeddingApp | tee /dev/stderr | grep -q "Drift detected: mean confidence"

# The public surface as a client sees it: the example app type-checks with public API only,
# internals are out of reach, and the public types per module (from the symbol graphs).
public-api: build
	Tests/api/public_surface.sh

# DriftLab's detectors against River's, alarm for alarm, on 64 random streams (pip install river).
differential: release
	python3 Tests/differential/river_differential.py

# Rewrite Tests/DriftDetectionTests/Fixtures/river_alarms.json from River itself.
river-fixtures:
	python3 Tests/differential/generate_river_fixtures.py

# libFuzzer targets (Tests/Fuzz): each target's regression corpus, then FUZZ_SECONDS of fuzzing each.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/fuzz.sh

# Every numeric option out of range exits 2 with one line on stderr.
check-options: release
	Tests/cli/option_ranges.sh $(NOTEBOOKS)

# The HTML reports in a real browser: builds a small `heuristics` and `nab` report, renders each report.html
# in headless Chromium (installs Debian's chromium if missing) and checks the screenshot, the DOM and the charts.
report-check: release
	python3 Tests/report/render_report.py --notebooks $(NOTEBOOKS)

# CLI polish: "did you mean", scenario-file errors, aligned and rounded tables.
cli-polish: release
	python3 Tests/cli/cli_polish.py $(NOTEBOOKS)

# Python-generated fixtures for the unit tests (fromisoformat corpus, JSON objects).
python-fixtures:
	python3 Tests/fixture-generator/generate_python_fixtures.py

clean:
	rm -rf .build
