# conformance/tests/hardening/hardening.mk - sanitizers over the vectors,
# immutability of the input, static analysis, coverage and mutation testing.
#
#   check-vectors-asan  luo-conform built with ASan + UBSan over every vector:
#                       the manifest comparison (veccheck.py) and, per vector
#                       alone, the exit status and no sanitizer report
#   check-cli-asan      (conformance/tests/cli) image + CLI tests under ASan
#   check-immutable     every vector (image, and its FDTs bare) checked from a
#                       read-only copy: unchanged (SHA-256), opened O_RDONLY
#                       (strace)
#   check-static        cppcheck and clang-tidy on the C sources (static.sh)
#   check-fuzz-ledger   the fuzz ledger's sums (test_ledger.sh)
#   check-mutate-smoke  three mutants of the core, each must be killed
#   make coverage       gcov line/branch coverage of conformance/lib (gcovr),
#                       and of the image reader and the CLI beside it
#   make mutate         the full mutation run (conformance/tools/mutate.sh)
#   make hardening-report  the figures of the last runs for the docs
DEB_PKGS += strace cppcheck clang-tidy gcovr

HARD_ASAN_B := $(B)/asan
HARD_ASAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The same ASan build of luo-conform that check-cli-asan makes and uses.
$(HARD_ASAN_B)/luo-conform: FORCE_ASAN
	@$(MAKE) --no-print-directory -s B=$(HARD_ASAN_B) CFLAGS="$(HARD_ASAN_CFLAGS)" $(HARD_ASAN_B)/luo-conform

check-vectors-asan: $(HARD_ASAN_B)/luo-conform $(DEPS)
	@ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		conformance/tools/run-tap.sh vectors-asan $(PYTHON) conformance/tools/veccheck.py \
		--conform $(HARD_ASAN_B)/luo-conform vectors/manifest.yaml
	@conformance/tools/run-tap.sh vectors-asan-exit $(PYTHON) conformance/tests/hardening/vecexit.py \
		--conform $(HARD_ASAN_B)/luo-conform vectors/manifest.yaml

# ... and the vectors' FDTs, checked bare (named by the shell: the rebuild
# that writes them may run in this same make)
check-immutable: $(B)/luo-conform $(B)/vectors/.stamp $(DEPS)
	@conformance/tools/run-tap.sh immutable conformance/tests/hardening/immutable.sh \
		$(B)/luo-conform $(B)/immutable $(sort $(wildcard vectors/*/*/*.img)) \
		$$(ls $(B)/vectors-work/*/*/kho.dtb $(B)/vectors-work/*/*/luo.dtb)

CHECKS += check-vectors-asan check-cli-asan check-immutable check-fuzz-ledger
CLEAN +=
.PHONY: check-vectors-asan check-immutable FORCE_ASAN
FORCE_ASAN:

# --- static analysis ------------------------------------------------------------
check-static: $(GEN_H) $(DEPS)
	@conformance/tools/run-tap.sh static conformance/tests/hardening/static.sh $(B)

CHECKS += check-static
.PHONY: check-static

# --- coverage (not in CHECKS) --------------------------------------------------
# The core, its unit tests and luo-conform built with gcc --coverage in
# $(B)/coverage, run (check-core, then every vector), and measured with
# gcovr over conformance/lib: figures printed, then every line not run and
# every line with a branch never taken, per file (covlist.py); the same in
# $(B)/coverage/{lines,branches}.txt, HTML in $(B)/coverage/html/.
# gcovr is told to search $(COV_B) only: by default it collects every
# .gcda under the root, so another build's stale data would be merged in.
COV_B := $(B)/coverage
COV_GCOVR = gcovr -r . --filter 'conformance/lib/'
coverage: $(B)/vectors/.stamp $(DEPS)
	@start=$$(date +%s); rm -rf $(COV_B) && mkdir -p $(COV_B)/html; \
	$(MAKE) --no-print-directory -s B=$(COV_B) CFLAGS="-O0 -g --coverage" \
		$(COV_B)/tests/core/test_core $(COV_B)/luo-conform $(COV_B)/luo-mkimage \
		$(COV_B)/tests/image/test_image >/dev/null && \
	CMOCKA_MESSAGE_OUTPUT=TAP $(COV_B)/tests/core/test_core > $(COV_B)/core.tap 2>&1; \
	$(PYTHON) conformance/tools/veccheck.py --conform $(COV_B)/luo-conform vectors/manifest.yaml \
		> $(COV_B)/vectors.tap 2>&1; \
	{ CMOCKA_MESSAGE_OUTPUT=TAP $(COV_B)/tests/image/test_image; B=$(COV_B) conformance/tests/cli/test_cli.sh; \
	  B=$(COV_B) VW=$(B)/vectors-work conformance/tests/cli/test_bare.sh; } > $(COV_B)/cli.tap 2>&1; \
	echo "coverage: core tests $$(grep -c '^ok' $(COV_B)/core.tap) ok / $$(grep -c '^not ok' $(COV_B)/core.tap) failed, vectors $$(grep -c '^ok' $(COV_B)/vectors.tap) ok / $$(grep -c '^not ok' $(COV_B)/vectors.tap) failed, image and CLI tests $$(grep -c '^ok' $(COV_B)/cli.tap) ok / $$(grep -c '^not ok' $(COV_B)/cli.tap) failed"; \
	$(COV_GCOVR) --exclude-unreachable-branches --json $(COV_B)/cov.json $(COV_B) && \
	$(COV_GCOVR) -a $(COV_B)/cov.json --txt $(COV_B)/lines.txt \
		--html-details $(COV_B)/html/index.html -s | grep -E '^(lines|branches)' | \
		tee $(COV_B)/summary.txt && \
	$(COV_GCOVR) -a $(COV_B)/cov.json --branches --txt $(COV_B)/branches.txt >/dev/null && \
	$(PYTHON) conformance/tests/hardening/covlist.py $(COV_B)/cov.json; \
	gcovr -r . --filter 'conformance/image/' --filter 'conformance/cli/' --exclude-unreachable-branches \
		--txt $(COV_B)/reader-cli.txt -s $(COV_B) | grep -E '^(lines|branches)' | \
		sed 's/^/image reader and CLI (not a goal): /' | tee -a $(COV_B)/summary.txt | \
		sed 's/^/coverage: /'; \
	echo "coverage: per file in $(COV_B)/lines.txt and $(COV_B)/branches.txt (html: $(COV_B)/html/index.html), $$(( $$(date +%s) - start )) s"

.PHONY: coverage

# --- mutation testing -------------------------------------------------------------
# make mutate: every mutant of conformance/tests/hardening/mutants.def, in a
# private copy of the tree ($(B)/mutate/tree); survivors' diffs in
# $(B)/mutate/survivors/.  MUTATE_ONLY=ID,ID runs a few.  Not in CHECKS.
mutate: $(DEPS)
	@set -o pipefail; mkdir -p $(B)/mutate; \
	conformance/tools/mutate.sh $(if $(MUTATE_ONLY),--only $(MUTATE_ONLY)) $(B)/mutate | \
		$(if $(MUTATE_ONLY),cat,tee $(B)/mutate.tap)

# --- the figures in the docs --------------------------------------------------------
# make hardening-report: docs/hardening/results.rst (committed) from the last
# runs: the fuzz ledger (HARD_LEDGER), make coverage's summary and the TAP of
# the last full make mutate.  Each part says when it is missing.
HARD_LEDGER ?= $(B)/fuzz/ledger.tsv
hardening-report: $(DEPS)
	$(PYTHON) conformance/tests/hardening/report.py --ledger $(HARD_LEDGER) \
		--coverage $(COV_B)/summary.txt --mutate $(B)/mutate.tap \
		--mutants conformance/tests/hardening/mutants.def --out docs/hardening/results.rst

# The fuzz campaign ledger's arithmetic (conformance/fuzz/ledger.sh).
check-fuzz-ledger: $(DEPS)
	@conformance/tools/run-tap.sh fuzz-ledger conformance/tests/hardening/test_ledger.sh

check-mutate-smoke: $(DEPS)
	@conformance/tools/run-tap.sh mutate-smoke conformance/tools/mutate.sh --smoke $(B)/mutate-smoke

# check-mutate-smoke is not in CHECKS: it costs about a minute (a tree copy and
# three rebuilds); add it with: CHECKS += check-mutate-smoke
.PHONY: mutate check-mutate-smoke check-fuzz-ledger hardening-report
