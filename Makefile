# notestar: two commands on a fresh machine (Python 3.11, pip, git).
#   make run   - set up .venv from uv.lock and run the nightly job once on samples/notes
#   make test  - set up the same way and run the tests
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced

.PHONY: setup run test lint bench bench-scale dagster-dev clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/notestar run

test: setup
	$(VENV)/bin/python -m pytest

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(VENV)/bin/python bench/bench_extract.py
	$(VENV)/bin/python bench/bench_pipeline.py --notes 2000

bench-scale: setup
	$(VENV)/bin/python bench/bench_pipeline.py --notes 10000 100000

dagster-dev: setup
	DAGSTER_HOME=$(CURDIR)/.dagster_home $(VENV)/bin/dagster dev -w workspace.yaml

clean:
	rm -rf $(VENV) $(TOOLS) warehouse reports .cache .dagster_home
