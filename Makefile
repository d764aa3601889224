# huikuan — every command a developer or CI needs. `make demo` and `make test` on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install test lint bench bench-quick demo demo-cli clean mutation

install: $(STAMP)

$(STAMP): pyproject.toml
	-@bash .ci/pdf-deps   # PDF reports: pango, a CJK font, poppler; a failure here only costs PDFs
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

test: install
	$(PY) -m pytest -n 2 --dist loadgroup -q

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: install
	$(PY) bench/engine_bench.py
	$(PY) bench/import_bench.py

bench-quick: install
	$(PY) bench/engine_bench.py --sizes 100000
	$(PY) bench/import_bench.py --rows 100000

# mutation testing of the engine and the result writers (docs/MUTATION.md); not part of `make test`.
# MUTANTS=huikuan.engine.assign* limits the run; the samples are named absolutely because the
# tests run from the copy in mutants/.
MUTANTS ?=
mutation: install
	HUIKUAN_SAMPLES=$(abspath ..)/shared/samples $(VENV)/bin/mutmut run --max-children 2 $(MUTANTS)
	$(VENV)/bin/mutmut results

# the web app: fresh demo database, demo company imported and reconciled, worker + server on 127.0.0.1
demo: install
	$(PY) -m huikuan.web.demo

demo-cli: install
	$(PY) -m huikuan.cli.demo

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
