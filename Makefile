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
           FLINK_WEB_PORT=18081 DBT_HTTP_PORT=18092 STACK_HTTP_PORT=18099 STACK_LEGACY_DEMO_DATA=false

.PHONY: help build stack-build up down clean status restart test test-stack-up test-stack-down test-stack-env \
        load chaos trino trino-fetch dbt-build dbt-snapshot bench iceberg-maintenance

help:
	@echo "make up | down | clean | status | test | load | chaos | trino | dbt-build | dbt-snapshot | bench"
	@echo "make restart C=<component> | iceberg-maintenance [TASK=compact|expire-snapshots|remove-orphans|all]"

$(BUILD_STAMP): $(SOURCES)
	@mkdir -p .cache
	$(MVN) install -DskipTests
	@touch $@

build: $(BUILD_STAMP) trino-fetch

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

restart:
	@$(STACK) restart $(C)

# Phase 1: infrastructure only (Kafka, PostgreSQL, Trino) for the modules' unit and integration tests.
# Phase 2: the whole product for the end-to-end tests. Each phase starts its services once.
test: build
	@rm -rf .data-test
	@$(TEST_ENV) STACK_COMPONENTS= $(STACK) up
	@set -o pipefail; status=0; \
	  $(TEST_ENV) mvn -B verify -pl '!system-tests' || status=$$?; \
	  $(TEST_ENV) $(STACK) down; \
	  if [ $$status -eq 0 ]; then \
	    $(TEST_ENV) $(STACK) up && $(TEST_ENV) mvn -B verify -pl system-tests || status=$$?; \
	    $(TEST_ENV) $(STACK) down; \
	  fi; \
	  exit $$status

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

dbt-build: build
	@dbt/bin/dbt-run build $(ARGS)

dbt-snapshot: build
	@dbt/bin/dbt-run snapshot $(ARGS)

iceberg-maintenance: build
	@$(JAVA) -cp "iceberg/target/classes:$$(cat iceberg/target/runtime.classpath)" \
	  io.loyaltylakehouse.iceberg.TableMaintenance $(or $(TASK),all)

bench: build
	@bench/run
