# Every target sets up .venv from requirements.lock (exact versions with hashes) first;
# test, pdf and release also install the Debian packages they need (`make deps`), so a
# fresh clone needs nothing but Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: deps serve site offline pdf release test bench lighthouse validate lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## deps: Debian packages for the browser tests and the PDF (chromium, fonts-noto-cjk, poppler-utils, Pango)
deps:
	@bash scripts/setup-system.sh

## serve: build and serve on http://127.0.0.1:8000, rebuilding when a record changes; --dirty: a save
## writes again only the pages whose output changed (scripts/handbook/mkdocs_preview.py)
serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dirty -a 127.0.0.1:8000

## site: build site/ in strict mode; a failed build leaves the previous site/ as it was
site: $(STAMP)
	$(BIN)/handbook build --site-dir site

## offline: dist/handbook-offline.zip, which works unzipped from file:// (search included)
offline: $(STAMP)
	$(BIN)/handbook offline --zip dist/handbook-offline.zip

## pdf: dist/handbook.pdf, dist/handouts/<session>.pdf, dist/pages/standards/<id>.pdf (WeasyPrint; unchanged ones from .cache/pdf/)
pdf: deps $(STAMP)
	$(BIN)/handbook pdf --out dist

## release: the publishing command: PDFs (also one per case), data, offline zip, then the site that offers them, and dist/manifest.json
release: deps $(STAMP)
	$(BIN)/handbook release --dist dist

## test: the whole test suite in two workers, each test file whole in one of them (a third
## made it slower: three chromiums and builds on two cores)
test: deps $(STAMP)
	$(BIN)/pytest -n $(or $(JOBS),2) --dist loadfile --no-loadscope-reorder --durations=15

## bench: synthetic 100 / 1,000 / 10,000-case builds against plain Material; writes docs/benchmarks.md (never in CI)
bench: $(STAMP)
	$(BIN)/python scripts/bench/run.py --sizes $(or $(SIZES),100,1000,10000) --write

## lighthouse: Lighthouse mobile scores of site/ served with gzip (needs Node.js; never in CI)
lighthouse: site
	$(BIN)/python scripts/bench/lighthouse.py site --runs 3

## validate: check every case and standard, print every error
validate: $(STAMP)
	$(BIN)/handbook validate

## lock: re-resolve requirements.in into requirements.lock, every file pinned by sha256
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet --disable-pip-version-check pip-tools
	.lockvenv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --no-header -o requirements.lock requirements.in
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) site site.* .site.* dist .pytest_cache .cache/build
