# Two commands: `make run` (set up everything, build the index, open the app) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test test-fast lint setup index eval bench clean deploy-local

run: index
	$(VENV)/bin/streamlit run app.py --server.address localhost --server.headless true \
		--browser.gatherUsageStats false --server.fileWatcherType none

setup: $(VENV)/.installed

# torch first, pinned, so pip takes the local CPU build instead of a multi-GB CUDA one.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev,llm]"
	touch $@

index: setup
	$(VENV)/bin/studyassist ingest

test: setup
	$(PY) -m pytest -q -p no:cacheprovider

# the part a developer runs while working: no index of its own, no processes, no browser, no gold sets (~40 s)
test-fast: setup
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow and not browser and not eval"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# a cohort's deployment on this machine: PostgreSQL + `chroma run` + one ingest + two app replicas (8601, 8602)
deploy-local: setup
	$(PY) -m studyassist.deploy

eval: setup
	$(VENV)/bin/studyassist eval --report evals/report.md

bench: setup
	$(VENV)/bin/studyassist bench

clean:
	rm -rf $(VENV) *.egg-info
