# Every target sets up .venv from requirements.lock first, so a fresh clone needs
# nothing but Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site offline pdf release test bench validate lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## serve: build and serve on http://127.0.0.1:8000, rebuilding when a record changes
serve: $(STAMP)
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

## site: build site/ in strict mode; a failed build leaves the previous site/ as it was
site: $(STAMP)
	$(BIN)/handbook build --site-dir site

## offline: dist/handbook-offline.zip, which works unzipped from file:// (search included)
offline: $(STAMP)
	$(BIN)/handbook offline --zip dist/handbook-offline.zip

## pdf: dist/handbook.pdf and dist/handouts/<session>.pdf (Debian chromium, CJK fonts embedded)
pdf: $(STAMP)
	$(BIN)/handbook pdf --out dist

## release: site, offline zip and data export in dist/, with dist/manifest.json (file, size, sha256)
release: $(STAMP)
	$(BIN)/handbook release --dist dist

## test: the whole test suite
test: $(STAMP)
	$(BIN)/pytest

## bench: synthetic 100 / 1,000 / 10,000-case builds against plain Material; writes docs/benchmarks.md (never in CI)
bench: $(STAMP)
	$(BIN)/python scripts/bench/run.py --sizes $(or $(SIZES),100,1000,10000) --write

## validate: check every case and standard, print every error
validate: $(STAMP)
	$(BIN)/handbook validate

## lock: re-resolve requirements.in into requirements.lock
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	.lockvenv/bin/pip freeze --all --exclude-editable | sed '/^pip==/d' > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) site site.* dist .pytest_cache
