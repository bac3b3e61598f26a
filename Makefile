# `make run` and `make test` work on a fresh clone: they create the venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_FILE := var/demo.json
# `make run` talks to the ERP sandboxes that Procfile.dev starts, never to the real ERPs.
SANDBOX_ENV := MARKETHUB_BLING_BASE_URL=http://127.0.0.1:8701/Api/v3 \
	MARKETHUB_BLING_AUTHORIZE_URL=http://127.0.0.1:8701/Api/v3/oauth/authorize \
	MARKETHUB_OMIE_BASE_URL=http://127.0.0.1:8702/api/v1 \
	MARKETHUB_TINY_BASE_URL=http://127.0.0.1:8703/api2

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
	$(SANDBOX_ENV) $(BIN)/markethub seed-demo --output $(DEMO_FILE) > /dev/null

run: seed
	@$(BIN)/python -m markethub.platform.banner $(DEMO_FILE)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(SANDBOX_ENV) $(BIN)/honcho -f Procfile.dev start

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

openapi: setup
	$(BIN)/markethub openapi write --format=yaml openapi.yaml

bench: setup
	$(BIN)/python bench/api_bench.py
	$(BIN)/python bench/idempotency_bench.py
	$(BIN)/python bench/erp_sync_bench.py
	$(BIN)/python bench/webhooks_bench.py

clean:
	rm -rf $(VENV) var build *.egg-info
