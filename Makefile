# luo-conformance top-level Makefile.
#
#   make conform        build what is needed and run the conformance suite
#   make check          every test (what CI runs)
#   make check-release  the slow slices, before a release (real kernels)
#
# Each part of the tree adds its own rules in a fragment (*.mk) included
# below; a fragment adds its test targets to CHECKS, so "make check" is the
# union of them.  Generated files go to $(B) (build/), never into the sources.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

B       ?= build
PYTHON  := /usr/bin/python3
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS_LUOC := -Iconformance/include -I$(B)/gen
VERSION := $(shell cat VERSION)
SPEC_VERSION := $(shell sed -n 's/^:spec-version: *//p' spec/version.rst 2>/dev/null)

CHECKS :=
CONFORM :=
CLEAN  :=

# --- Debian packages -------------------------------------------------------
# The tree needs these and nothing from PyPI.  "make deps" installs what is
# missing when run as root, and otherwise prints the apt-get line and stops.
DEB_PKGS := make gcc pkgconf device-tree-compiler libfdt-dev libelf-dev \
	libcmocka-dev dt-schema python3-yaml python3-libfdt
DEB_MISSING = $(shell for p in $(DEB_PKGS); do \
	dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done)

$(B)/.deps-ok: Makefile
	@missing="$(DEB_MISSING)"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "deps: installing $$missing"; \
			( apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing ) >$(B)/deps.log 2>&1 \
				|| { cat $(B)/deps.log; echo "deps: apt-get install failed (log above)"; exit 1; }; \
		else \
			echo "deps: missing Debian packages: $$missing"; \
			echo "deps: run:  sudo apt-get install -y $$missing"; exit 1; \
		fi; \
	fi
	@mkdir -p $(@D) && touch $@

$(B):
	@mkdir -p $@

deps: | $(B)
	@rm -f $(B)/.deps-ok
	@$(MAKE) --no-print-directory $(B)/.deps-ok

# Order-only prerequisite for everything that runs a tool.
DEPS := | $(B)/.deps-ok
$(B)/.deps-ok: | $(B)

# --- generated from spec/abi -----------------------------------------------
ABI_SRC := $(sort $(wildcard spec/abi/*.yaml spec/abi/*/*.yaml)) conformance/tools/luoabi.py
GEN_H   := $(B)/gen/luoc_abi_gen.h $(B)/gen/luoc_outcome_gen.h
GEN_C   := $(B)/gen/luoc_profiles_gen.c

$(GEN_H) $(GEN_C) &: $(ABI_SRC) conformance/tools/abigen.py $(DEPS)
	$(PYTHON) conformance/tools/abigen.py $(B)/gen

gen: $(GEN_H) $(GEN_C)

include $(sort $(wildcard conformance/*/*.mk conformance/*/*/*.mk spec/*.mk schemas/*.mk vectors/*.mk docs/*.mk))

all: gen $(ALL)

check: $(CHECKS)
	@echo "make check: all of $(words $(CHECKS)) test targets passed"

# The slow slices: a real kernel both ways and a mutation sample.  Not in
# make check (CI): their first run downloads Linux and builds three kernels,
# about 25 minutes on two cores.  Run before each release
# (.ci/run --release runs make check, then these).
RELEASE_CHECKS := check-real-kernel check-real-kernel-consumer check-mutate-smoke

check-release: $(RELEASE_CHECKS)
	@echo "make check-release: all of $(words $(RELEASE_CHECKS)) release slices passed"

clean:
	rm -rf $(B) $(CLEAN)

.PHONY: all check check-release clean deps gen conform

# The main job: the conformance suite on the bundled vectors, then
# (when the runner is built) against the bundled reference implementation.
conform: $(CONFORM)
	@echo "make conform: all $(words $(CONFORM)) suites passed ($(CONFORM))"

# Fragments add to DEB_PKGS: re-check the packages when any makefile changes.
$(B)/.deps-ok: $(filter-out $(B)/%,$(MAKEFILE_LIST))
