# DriftLab: `make test` runs the test suite, `make demo` the main job end to end.
# Both first make sure OpenBLAS (Debian's libopenblas-dev) is installed.

SWIFT ?= swift
NOTEBOOKS := .build/release/notebooks
DEMO_DIR := datasets/example-monitor
DEMO_NOW := 2026-11-29T12:00:00
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release test demo fixtures compare clean

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

demo: release
	@echo "== notebooks analyze $(DEMO_DIR) --now $(DEMO_NOW) --format table"
	@$(NOTEBOOKS) analyze $(DEMO_DIR) --now $(DEMO_NOW) --format table
	@echo
	@echo "== the same as JSON (first 600 characters)"
	@$(NOTEBOOKS) analyze $(DEMO_DIR) --now $(DEMO_NOW) | cut -c1-600

# Regenerate the reference fixtures (needs Python 3 with numpy and ../shared/reference).
fixtures:
	python3 Tests/fixture-generator/generate_fixtures.py

# Compare `notebooks analyze` with the reference's answers on every fixture.
compare: release
	python3 Tests/fixture-generator/compare_cli.py

clean:
	rm -rf .build
