# Makefile for supplychain (PGXS)

EXTENSION = supplychain
EXTVERSION = $(shell sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" $(EXTENSION).control)
MODULE_big = supplychain
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c))
INCS = $(wildcard src/*.h)
# The current version's install script is generated from the layer files
# (src/sql/NN_layer.sql, in name order); the released scripts in
# src/upgrade/ are frozen (docs/development.md, "Releasing").
LAYERS = $(sort $(wildcard src/sql/*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(wildcard src/upgrade/$(EXTENSION)--*.sql)
REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare
# warnings are errors in make test and CI (SC_WERROR=1), not in what users build
ifdef SC_WERROR
PG_CFLAGS += -Werror
endif
EXTRA_CLEAN = results regression.diffs regression.out

# SC_CHECK_ROWS=1 (make test sets it) checks every row propagate_exposure emits
ifdef SC_CHECK_ROWS
PG_CPPFLAGS += -DSC_CHECK_ROWS
endif

# the pg_config on PATH by default (Debian: the newest server whose -dev
# package is installed); make PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config
# picks a server
PG_CONFIG ?= pg_config
# The set-up targets (demo, test, ...) install the server's development
# package themselves (test/harness.sh), so they run before PGXS exists.
HARNESS_GOALS = demo test test-matrix fuzz bench soak valgrind
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else ifneq ($(filter-out $(HARNESS_GOALS),$(or $(MAKECMDGOALS),all)),)
$(error PGXS not found through $(PG_CONFIG): install the server's development package (Debian: postgresql-server-dev-NN), or run make test, which installs it)
endif

$(DATA_built): $(LAYERS)
	cat $^ > $@

# Objects depend on the headers, and on the flags they were built with
BUILD_FLAGS := $(PG_CPPFLAGS) $(PG_CFLAGS)
$(shell echo '$(BUILD_FLAGS)' | cmp -s - src/.build-flags || echo '$(BUILD_FLAGS)' > src/.build-flags)
$(OBJS): $(INCS) src/.build-flags

# The two set-up commands: each installs what it needs, builds, installs,
# and works in its own throwaway cluster.
.PHONY: demo test
demo:
	PG_CONFIG=$(PG_CONFIG) bash test/harness.sh demo
test:
	SC_CHECK_ROWS=1 SC_WERROR=1 PG_CONFIG=$(PG_CONFIG) bash test/harness.sh test

# make test on every other PostgreSQL the matrix knows (17 and 18), each in a
# Debian chroot of its own, cached outside the checkout; PG=17 runs one
.PHONY: test-matrix
test-matrix:
	bash test/matrix.sh $(or $(PG),17 18)

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
DISTVERSION = $(EXTVERSION)
.PHONY: dist
dist:
	@git diff --quiet HEAD -- || echo "warning: uncommitted changes are not in $(EXTENSION)-$(DISTVERSION).zip" >&2
	git archive --format=zip --prefix=$(EXTENSION)-$(DISTVERSION)/ -o $(EXTENSION)-$(DISTVERSION).zip HEAD
