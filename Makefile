# The README's two commands: `make report` and `make test`. Both set up everything first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Every Python package make installs, with its exact version and hashes; `make lock` refreshes it.
LOCK   := requirements-lock.txt
UV_VERSION := 0.13.8
# Debian packages the outputs need: CJK fonts, the Latin faces the themes name (Caladea and
# Carlito, metric-compatible with Cambria and Calibri), HarfBuzz's subsetter (without it
# WeasyPrint subsets fonts with fontTools, some 20 times slower), poppler's pdftotext, and
# LibreOffice, whose layout gives the DOCX contents its page numbers.
DEB_PACKAGES := fonts-noto-cjk fonts-crosextra-caladea fonts-crosextra-carlito \
	libharfbuzz-subset0 poppler-utils libreoffice-writer-nogui
# The tests also open every DOCX in LibreOffice, a real client that rejects broken files,
# check every catalog with GNU gettext's msgfmt, and load the live preview in a headless
# Chromium.
TEST_DEB_PACKAGES := gettext chromium

# Install the Debian packages in $(1) that are missing: apt-get as root, sudo otherwise, and
# the exact command to run when neither is possible.
define apt_install
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Installing system packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
	else echo "Cannot install system packages (not root, no sudo). Run as root:" >&2; \
		echo "  apt-get update && apt-get install -y --no-install-recommends$$missing" >&2; exit 1; fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing
endef

.PHONY: report test setup system-packages test-packages lint lock bench clean

report: setup
	$(BIN)/diglot build

test: test-packages $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests $(wildcard bench)

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)

setup: system-packages $(STAMP)

system-packages:
	$(call apt_install,$(DEB_PACKAGES))

test-packages:
	$(call apt_install,$(DEB_PACKAGES) $(TEST_DEB_PACKAGES))

# The locked packages exactly (hashes checked, nothing resolved), then the project itself
# built with the locked build backend.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "diglot needs Python 3.11 or newer; set PYTHON=python3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Refresh the lock on purpose: the newest versions the ranges in pyproject.toml allow, for
# every platform and Python 3.11+. Review what changed (CLDR data, WeasyPrint layout) and run
# `make test` before committing it.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --group build --extra test --extra opencc \
		--extra serve --extra dask --universal --python-version 3.11 --generate-hashes --upgrade -o $(LOCK)

# Every bench_*.py, then diglot against bare WeasyPrint (bench/compare.py, some 10 minutes of it).
bench: setup
	$(BIN)/python bench/run.py
	$(BIN)/python bench/compare.py

clean:
	rm -rf build .pytest_cache .ruff_cache
	find locales -name '*.mo' -delete
