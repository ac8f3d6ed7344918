# Makefile for supplychain (PGXS)

EXTENSION = supplychain
MODULE_big = supplychain
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c))
DATA = $(wildcard supplychain--*.sql)
REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Werror
EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The two set-up commands: each installs what it needs, builds, installs,
# and works in its own throwaway cluster.
.PHONY: demo test
demo:
	PG_CONFIG=$(PG_CONFIG) bash test/harness.sh demo
test:
	PG_CONFIG=$(PG_CONFIG) bash test/harness.sh test

# Long runs, each with a short form inside make test.
.PHONY: fuzz bench
fuzz:
	PG_CONFIG=$(PG_CONFIG) bash test/harness.sh shell bash test/fuzz/run.sh
bench:
	PG_CONFIG=$(PG_CONFIG) bash test/harness.sh shell bash bench/run.sh
.PHONY: soak
soak:
	SOAK_SECONDS=60 PG_CONFIG=$(PG_CONFIG) bash test/harness.sh shell bash test/soak.sh
.PHONY: valgrind
valgrind:
	PG_CONFIG=$(PG_CONFIG) bash test/harness.sh valgrind

# Release archive for PGXN: supplychain-VERSION.zip of the committed tree (HEAD)
DISTVERSION = $(shell sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" $(EXTENSION).control)
.PHONY: dist
dist:
	@git diff --quiet HEAD -- || echo "warning: uncommitted changes are not in $(EXTENSION)-$(DISTVERSION).zip" >&2
	git archive --format=zip --prefix=$(EXTENSION)-$(DISTVERSION)/ -o $(EXTENSION)-$(DISTVERSION).zip HEAD
