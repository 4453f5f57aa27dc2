# Loyalty Lakehouse — every command of CONTRACT section 1. Settings come from the environment
# (KAFKA_BOOTSTRAP, PG_PORT, TRINO_URL, DATA_DIR, ...); see README "Configuration".
SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN        ?= mvn -B -q
JAVA       ?= java
STACK_CP    = local-stack/target/classes:$(shell cat local-stack/target/runtime.classpath 2>/dev/null)
STACK       = $(JAVA) -cp "$(STACK_CP)" io.loyaltylakehouse.stack.LocalStack
BUILD_STAMP = .cache/build.stamp
SOURCES    := $(shell find pom.xml */pom.xml */src -type f 2>/dev/null)

# The test stack runs beside a developer's `make up` stack: own data directory and ports.
TEST_ENV = DATA_DIR=$(CURDIR)/.data-test KAFKA_BOOTSTRAP=127.0.0.1:19092 PG_PORT=15433 \
           TRINO_URL=https://127.0.0.1:18443 TRINO_INTERNAL_PORT=18080 EDGE_HTTP_PORT=18090 CDC_HTTP_PORT=18091 \
           FLINK_WEB_PORT=18081 DAGSTER_HTTP_PORT=18300 DAGSTER_GRPC_PORT=18400 STACK_HTTP_PORT=18099 \
           STACK_LEGACY_DEMO_DATA=false PROMETHEUS_PORT=19190 ALERTMANAGER_PORT=19193 POSTGRES_EXPORTER_PORT=19187 \
           KAFKA_METRICS_PORT=19404 FLINK_METRICS_PORT=19249

# dbt and Dagster: Python tools pinned with hashes in dbt/requirements.lock, installed into .cache/venv.
VENV         = .cache/venv
VENV_STAMP   = $(VENV)/.requirements.sha256
DBT          = dbt/bin/dbt
DBT_MANIFEST = dbt/project/target/manifest.json
DBT_SOURCES := $(shell find dbt/project -type f -not -path '*/target/*' -not -path '*/logs/*' 2>/dev/null)
DBT_DOCS_PORT ?= 8094

.PHONY: help build stack-build up down clean status memory restart test test-stack-up test-stack-down test-stack-env \
        load chaos trino trino-fetch dbt-build dbt-snapshot dbt-docs venv python-lint python-test bench \
        iceberg-maintenance monitoring-packages fmt e2e

help:
	@echo "make up | down | clean | status | memory | test | load | chaos | trino | dbt-build | dbt-snapshot | dbt-docs | bench"
	@echo "make restart C=<component> | iceberg-maintenance [TASK=compact|expire-snapshots|remove-orphans|all] | fmt"

$(BUILD_STAMP): $(SOURCES)
	@mkdir -p .cache
	$(MVN) install -DskipTests
	@touch $@

build: $(BUILD_STAMP) trino-fetch monitoring-packages $(DBT_MANIFEST)

# Debian's Prometheus, Alertmanager, PostgreSQL exporter and Chromium (monitoring/README.md), when missing.
monitoring-packages:
	@monitoring/install-packages

venv: $(VENV_STAMP)
$(VENV_STAMP): dbt/requirements.lock
	@dbt/bin/venv

# dagster-dbt reads the project's manifest; `dbt parse` connects to nothing, so any password does
$(DBT_MANIFEST): $(VENV_STAMP) $(DBT_SOURCES)
	@TRINO_PASSWORD_DBT=$${TRINO_PASSWORD_DBT:-not-used-by-parse} $(DBT) parse --quiet

# Trino 476 server + CLI into .cache/trino (first time only; ~820 MB download). Only the plugins the stack
# uses are kept: iceberg, and password-authenticators for the password logins.
TRINO_HOME = .cache/trino/trino-server-476
trino-fetch: $(TRINO_HOME)/plugin/password-authenticators
$(TRINO_HOME)/plugin/password-authenticators:
	$(MVN) -f trino/pom.xml process-resources
	tar -xzf .cache/trino/trino-server.tar.gz -C .cache/trino \
	  trino-server-476/lib trino-server-476/bin trino-server-476/plugin
	find $(TRINO_HOME)/plugin -mindepth 1 -maxdepth 1 ! -name iceberg ! -name password-authenticators \
	  ! -name loyalty-access -exec rm -rf {} +
	rm -f .cache/trino/trino-server.tar.gz

up: build
	@$(STACK) up

down:
	@if [ -f local-stack/target/runtime.classpath ]; then $(STACK) down; fi

clean:
	@if [ -f local-stack/target/runtime.classpath ]; then $(STACK) clean; else rm -rf .data; fi

status:
	@$(STACK) status

# Each running component's resident memory (PSS, with its child processes) and the total
memory:
	@$(STACK) memory

restart:
	@$(STACK) restart $(C)

# Phase 1: infrastructure only (Kafka, PostgreSQL, Trino) for the modules' unit and integration tests.
# Phase 2: the whole product for the end-to-end tests, on fresh data: phase 1's loads would otherwise have moved the
# topics' stream time to now, and the end-to-end load would have to squeeze in after it. Each phase starts its
# services once.
test: build
	promtool test rules monitoring/tests/*.yml
	@rm -rf .data-test
	@$(TEST_ENV) STACK_COMPONENTS= $(STACK) up
	@set -o pipefail; status=0; \
	  $(TEST_ENV) mvn -B verify -pl '!system-tests' || status=$$?; \
	  if [ $$status -eq 0 ]; then $(TEST_ENV) $(MAKE) --no-print-directory python-test || status=$$?; fi; \
	  $(TEST_ENV) $(STACK) down; \
	  if [ $$status -eq 0 ]; then \
	    rm -rf .data-test; \
	    $(TEST_ENV) $(STACK) up && $(TEST_ENV) mvn -B verify -pl system-tests || status=$$?; \
	    $(TEST_ENV) $(STACK) down; \
	  fi; \
	  exit $$status

# Only the ground-truth end-to-end test and the short chaos run (both also in `make test`), on a fresh stack.
e2e: build
	@rm -rf .data-test
	@set -o pipefail; status=0; \
	  $(TEST_ENV) $(STACK) up && $(TEST_ENV) mvn -B verify -pl system-tests -Dit.test='EndToEndIT,ChaosIT' \
	    || status=$$?; \
	  $(TEST_ENV) $(STACK) down; exit $$status

# Only what the test stack itself needs, so a module under development cannot block it.
stack-build: trino-fetch
	$(MVN) install -DskipTests -pl local-stack -am

test-stack-up: stack-build
	@$(TEST_ENV) STACK_COMPONENTS= $(STACK) up

test-stack-down:
	@$(TEST_ENV) $(STACK) down

test-stack-env:
	@for v in $(TEST_ENV); do echo "export $$v"; done

LOAD_CP = load-generator/target/classes:$$(cat load-generator/target/runtime.classpath)
LOAD_ARGS = $(if $(RATE),--rate $(RATE)) $(if $(EVENTS),--events $(EVENTS)) $(if $(SEED),--seed $(SEED)) $(ARGS)

load: build
	@$(JAVA) -cp "$(LOAD_CP)" io.loyaltylakehouse.load.LoadGenerator $(LOAD_ARGS)

# `make load` while each of CHAOS_COMPONENTS is killed with kill -9; then every user vs the truth (0 mismatches
# passes); figures in bench/results/chaos.md. Default: 60,000 events at 500/s.
chaos: build
	@$(JAVA) -cp "$(LOAD_CP)" io.loyaltylakehouse.load.chaos.ChaosRun --events $(or $(EVENTS),60000) \
	  --rate $(or $(RATE),500) $(if $(SEED),--seed $(SEED)) $(ARGS)

# The analysts' CLI as `analyst` (TRINO_USER=dbt|loyalty_admin to switch), logged in with the local secrets;
# SQL="..." runs one statement non-interactively.
trino: trino-fetch
	@trino/bin/trino-cli $(if $(SQL),--output-format ALIGNED --execute "$(SQL)")

# Lint and format checks of dbt/ (no stack needed), then pytest: real dbt and a real dagster-daemon
# through the Trino of the stack in the environment (make test runs it on the test stack).
python-lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check dbt/orchestration
	$(VENV)/bin/ruff format --check dbt/orchestration
	cd dbt/project && ../../$(VENV)/bin/sqlfluff lint models data-tests

# Formats everything the checks above and the Maven build (spotless:check in verify) refuse.
fmt: $(VENV_STAMP)
	$(MVN) spotless:apply
	$(VENV)/bin/ruff check --fix dbt/orchestration
	$(VENV)/bin/ruff format dbt/orchestration
	cd dbt/project && ../../$(VENV)/bin/sqlfluff fix models data-tests

python-test: python-lint $(DBT_MANIFEST)
	cd dbt/orchestration && ../../$(VENV)/bin/python -m pytest -p no:cacheprovider

dbt-build: build
	@$(DBT) build $(ARGS)

dbt-snapshot: build
	@$(DBT) snapshot $(ARGS)

# dbt's documentation site (models, columns, lineage) for analysts, served on 127.0.0.1:$(DBT_DOCS_PORT)
dbt-docs: build
	@$(DBT) docs generate $(ARGS)
	@$(DBT) docs serve --host 127.0.0.1 --port $(DBT_DOCS_PORT) --no-browser

iceberg-maintenance: build
	@$(JAVA) -cp "iceberg/target/classes:$$(cat iceberg/target/runtime.classpath)" \
	  io.loyaltylakehouse.iceberg.TableMaintenance $(or $(TASK),all)

bench: build
	@bench/run
