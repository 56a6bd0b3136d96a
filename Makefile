# Two commands from a clean clone: `make episode` and `make test`.
PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
TESTED  := $(VENV)/.installed-test
EPISODE ?= episodes/example.md
SEGMENT ?= 1
OUT     ?= out
PYTEST_ARGS ?=
BENCH_ARGS ?=
VOICE_BENCH_ARGS ?=

DEVED   := $(VENV)/.installed-dev

.PHONY: help episode preview test test-fast lint catalogue bench voice-bench install coqui clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 14

episode: $(STAMP)  ## render EPISODE (default: the example) into OUT
	$(BIN)/podcast render $(EPISODE) -o $(OUT)

preview: $(STAMP)  ## speak SEGMENT of EPISODE to a WAV
	$(BIN)/podcast preview $(EPISODE) $(SEGMENT)

catalogue: $(STAMP)  ## render every episode under episodes/ (incremental, parallel)
	$(BIN)/podcast render episodes -o $(OUT)

bench: $(STAMP)  ## benchmark (minutes; writes docs/bench.md)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

voice-bench: $(TESTED)  ## every shipped voice side by side: WER, Distill-MOS, DNSMOS, speed (writes docs/voices.md)
	$(BIN)/python -m pip install --quiet -e '.[voicebench]'
	$(BIN)/python scripts/voice_bench.py --markdown docs/voices.md --json docs/voices.json $(VOICE_BENCH_ARGS)

test: $(TESTED)  ## the whole test suite (installs the Coqui and verify extras: their tests run too)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(TESTED)  ## everything not marked slow (no end-to-end renders with the real voice)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

lint: $(DEVED)  ## ruff check, ruff format --check (settings in pyproject.toml) and mypy, all clean
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/ruff format --check pipeline tests scripts
	$(BIN)/mypy

install: $(STAMP)  ## the package and its dependencies in $(VENV)

coqui: $(STAMP)  ## add the Coqui engine (PyTorch; about 7 GB on x86-64)
	$(BIN)/python -m pip install --quiet -e '.[coqui]'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TESTED): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,coqui,verify]'
	touch $@

$(DEVED): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

clean:  ## remove the virtual environment, the outputs and pytest's cache
	rm -rf $(VENV) $(OUT) .pytest_cache
