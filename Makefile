# `make run` and `make test` work on a fresh clone: they create the venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_FILE := var/demo.json

.PHONY: setup run test migrate seed openapi openapi-check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

migrate: setup
	mkdir -p var
	$(BIN)/markethub db upgrade

seed: migrate
	$(BIN)/markethub seed-demo --output $(DEMO_FILE) > /dev/null

run: seed
	@$(BIN)/python -m markethub.platform.banner $(DEMO_FILE)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

openapi: setup
	$(BIN)/markethub openapi write --format=yaml openapi.yaml

bench: setup
	$(BIN)/python bench/api_bench.py

clean:
	rm -rf $(VENV) var build *.egg-info
