# The written specification (spec/*.rst) and its traceability checks.
#
#   make spec            HTML of the spec in $(B)/spec-html
#   make check-spec      fast offline build with -W -n (part of "make check")
#   make check-trace     requirement/vector/schema consistency (part of "make check")
#   make check-coverage  every requirement has a vector or a test (part of "make check")
#
# Sphinx needs the generated tables inside its source tree, so the build
# stages spec/*.rst and the fragments conformance/tools/abirst.py writes
# from spec/abi into $(B)/spec-src and builds that.

DEB_PKGS += python3-sphinx

SPEC_RST   := $(sort $(wildcard spec/*.rst spec/*/*.rst))
SPEC_RST   := $(filter-out spec/abi/%,$(SPEC_RST))
SPEC_TOOLS := conformance/tools/abirst.py docs/conf.py docs/ext/luoreq.py
SPHINX     := $(PYTHON) -m sphinx

$(B)/spec-gen/fragments.txt: $(ABI_SRC) conformance/tools/abirst.py $(DEPS)
	@rm -rf $(B)/spec-gen
	$(PYTHON) conformance/tools/abirst.py $(B)/spec-gen

# $(1) = staging dir
define spec_stage
	rm -rf $(1) && mkdir -p $(1)/gen
	for f in $(SPEC_RST:spec/%=%); do install -D -m 644 spec/$$f $(1)/$$f; done
	cp $(B)/spec-gen/*.rst $(1)/gen/
endef

$(B)/spec-src/.staged: $(SPEC_RST) $(B)/spec-gen/fragments.txt
	@$(call spec_stage,$(B)/spec-src)
	@touch $@

$(B)/spec-html/index.html: $(B)/spec-src/.staged $(SPEC_TOOLS) $(DEPS)
	LUO_SPEC_SRC=$(abspath $(B)/spec-src) $(SPHINX) -W -n --keep-going -q -b html -c docs \
		-d $(B)/spec-doctrees $(B)/spec-src $(B)/spec-html

spec: $(B)/spec-html/index.html

ALL += $(B)/spec-html/index.html

# check-spec builds from scratch (-E) so every warning is seen on every run.
check-spec: $(B)/spec-src/.staged $(SPEC_TOOLS) $(DEPS)
	@rm -rf $(B)/spec-check
	@if LUO_SPEC_SRC=$(abspath $(B)/spec-src) $(SPHINX) -E -W -n --keep-going -q -b html -c docs \
		-d $(B)/spec-check/.doctrees $(B)/spec-src $(B)/spec-check; then \
		echo "RESULT spec: 1 passed, 0 failed"; \
	else echo "RESULT spec: 0 passed, 1 failed"; exit 1; fi

TRACE := $(PYTHON) conformance/tools/trace.py --build $(B)

check-trace: $(DEPS)
	@$(TRACE) --check consistency

check-coverage: $(DEPS)
	@$(TRACE) --check coverage

trace: $(DEPS)
	@$(TRACE)

check-trace-tests: $(DEPS)
	@conformance/tools/run-tap.sh trace-tests conformance/tests/trace/test-trace.sh $(B)/trace-tests

CHECKS += check-spec check-trace check-trace-tests check-coverage

.PHONY: spec check-spec check-trace check-coverage trace check-trace-tests
