# conformance/fuzz/fuzz.mk - libFuzzer targets for the checker core, the
# state-image reader and the adapter's JSON parser (clang, ASan + UBSan).
#
#   make fuzz-build          the five targets in $(B)/fuzz/bin/fuzz_<target>
#   make fuzz-corpus         seed corpora from the vectors (and luo-ref's JSON
#                            answers) in $(B)/fuzz/seed/<target>, dictionaries
#                            from spec/abi in $(B)/fuzz/dict
#   make fuzz                run each target FUZZ_SECONDS (default 180) on
#                            its corpus $(B)/fuzz/corpus/<target>; crashers are
#                            copied to conformance/fuzz/regress/<target>/;
#                            executions add up in $(B)/fuzz/ledger.tsv
#   make fuzz-report         each target's executions over all runs
#   make fuzz-afl            the same targets built with AFL++ (afl-clang-fast
#                            -fsanitize=fuzzer) in $(B)/fuzz/afl/; run one with
#                            conformance/fuzz/afl-run.sh TARGET SECONDS
#   check-fuzz-regress       replay every regression input (CHECKS)
#   check-fuzz-smoke         each target FUZZ_SMOKE_SECONDS (default 8) from
#                            its seeds (CHECKS)
#
# FUZZ_LIBFDT_SRC=DIR builds libfdt from DIR (e.g. a kernel's
# scripts/dtc/libfdt) with the same instrumentation, so ASan also sees the
# reads inside libfdt; by default the system -lfdt is linked (reads inside
# it are then only checked through ASan's interceptors).
DEB_PKGS += clang libclang-rt-14-dev afl++ libjson-c-dev

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 180
FUZZ_SMOKE_SECONDS ?= 8
FUZZ_JOBS     ?= 1
FUZZ_LIBFDT_SRC ?=
FUZZ_TARGETS  := kho_root luo_fdt state image adapter
FUZZ_DIR      := $(B)/fuzz
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   := -g -O1 $(FUZZ_SAN) $(WARN)
FUZZ_INC      := $(if $(FUZZ_LIBFDT_SRC),-I$(FUZZ_LIBFDT_SRC)) $(CPPFLAGS_LUOC) -Iconformance/lib \
		 -Iconformance/fuzz -Iconformance/image -Iconformance/adapter

# libFuzzer options per target: the input bound each format needs
FUZZ_MAXLEN_kho_root := 4096
FUZZ_MAXLEN_luo_fdt  := 4096
FUZZ_MAXLEN_state    := 262144
FUZZ_MAXLEN_image    := 524288
FUZZ_MAXLEN_adapter  := 65536
FUZZ_DICT_kho_root   := fdt
FUZZ_DICT_luo_fdt    := fdt
FUZZ_DICT_state      := fdt
FUZZ_DICT_image      := fdt
FUZZ_DICT_adapter    := json

# Objects: one instrumented build (fuzzer-no-link) for every variant
# (libFuzzer and AFL++); $(1) = variant dir, $(2) = compiler, $(3) = flags.
FUZZ_CORE_SRC  := $(sort $(wildcard conformance/lib/*.c))
FUZZ_IMAGE_SRC := $(sort $(wildcard conformance/image/*.c))
FUZZ_ADPT_SRC  := conformance/adapter/arena.c conformance/adapter/state.c conformance/adapter/state_json.c
FUZZ_FDT_SRC   := $(if $(FUZZ_LIBFDT_SRC),$(wildcard $(addprefix $(FUZZ_LIBFDT_SRC)/,fdt.c fdt_ro.c fdt_wip.c fdt_sw.c fdt_rw.c fdt_strerror.c)))
FUZZ_FDT_LIB   := $(if $(FUZZ_LIBFDT_SRC),,-lfdt)
FUZZ_HDRS      := $(wildcard conformance/lib/*.h conformance/include/luoc/*.h conformance/fuzz/*.h \
		  conformance/image/*.h conformance/adapter/*.h)

# The text formatter and the heap sort get ASan but no coverage feedback:
# they run for every finding and every name, their branches say nothing
# about the state's structure, and their comparison callbacks were a third
# of the state target's time.
FUZZ_NOCOV := fmt sort

define fuzz_variant
$(FUZZ_DIR)/$(1)/obj/core/%.o: conformance/lib/%.c $(FUZZ_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $$(@D)
	$(2) $(3) $$(if $$(filter $$*,$(FUZZ_NOCOV)),,-fsanitize=fuzzer-no-link) $(FUZZ_CFLAGS) \
		-ffreestanding $(FUZZ_INC) -c -o $$@ $$<
$(FUZZ_DIR)/$(1)/obj/core/profiles_gen.o: $(GEN_C) $(GEN_H) $(DEPS)
	@mkdir -p $$(@D)
	$(2) $(3) -fsanitize=fuzzer-no-link $(FUZZ_CFLAGS) $(FUZZ_INC) -c -o $$@ $$<
$(FUZZ_DIR)/$(1)/obj/image/%.o: conformance/image/%.c $(FUZZ_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $$(@D)
	$(2) $(3) -fsanitize=fuzzer-no-link $(FUZZ_CFLAGS) $(FUZZ_INC) -c -o $$@ $$<
$(FUZZ_DIR)/$(1)/obj/adapter/%.o: conformance/adapter/%.c $(FUZZ_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $$(@D)
	$(2) $(3) -fsanitize=fuzzer-no-link $(FUZZ_CFLAGS) $(FUZZ_INC) -c -o $$@ $$<
$(FUZZ_DIR)/$(1)/obj/fuzz/%.o: conformance/fuzz/%.c $(FUZZ_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $$(@D)
	$(2) $(3) -fsanitize=fuzzer-no-link $(FUZZ_CFLAGS) $(FUZZ_INC) -c -o $$@ $$<
$(FUZZ_DIR)/$(1)/obj/libfdt/%.o: $(FUZZ_LIBFDT_SRC)/%.c $(DEPS)
	@mkdir -p $$(@D)
	$(2) $(3) -fsanitize=fuzzer-no-link -g -O1 $(FUZZ_SAN) -Wall -Wextra -Werror -Wno-sign-compare \
		-I$(FUZZ_LIBFDT_SRC) -c -o $$@ $$<

FUZZ_BASE_$(1) := $(patsubst conformance/lib/%.c,$(FUZZ_DIR)/$(1)/obj/core/%.o,$(FUZZ_CORE_SRC)) \
	$(FUZZ_DIR)/$(1)/obj/core/profiles_gen.o $(FUZZ_DIR)/$(1)/obj/fuzz/fz_common.o \
	$(patsubst $(FUZZ_LIBFDT_SRC)/%.c,$(FUZZ_DIR)/$(1)/obj/libfdt/%.o,$(FUZZ_FDT_SRC))
FUZZ_EXTRA_$(1)_image := $(patsubst conformance/image/%.c,$(FUZZ_DIR)/$(1)/obj/image/%.o,$(FUZZ_IMAGE_SRC))
FUZZ_EXTRA_$(1)_adapter := $(patsubst conformance/adapter/%.c,$(FUZZ_DIR)/$(1)/obj/adapter/%.o,$(FUZZ_ADPT_SRC))
FUZZ_LIBS_image := -lelf
FUZZ_LIBS_adapter := -ljson-c -lcrypto

$(foreach t,$(FUZZ_TARGETS),
$(FUZZ_DIR)/$(1)/fuzz_$(t): $(FUZZ_DIR)/$(1)/obj/fuzz/fuzz_$(t).o $$(FUZZ_BASE_$(1)) $$(FUZZ_EXTRA_$(1)_$(t))
	$(2) $(3) -fsanitize=fuzzer $(FUZZ_SAN) -o $$@ $$^ $(FUZZ_FDT_LIB) $$(FUZZ_LIBS_$(t))
)
endef

$(eval $(call fuzz_variant,bin,$(FUZZ_CC),))
$(eval $(call fuzz_variant,afl,AFL_QUIET=1 afl-clang-fast,))

FUZZ_BINS := $(addprefix $(FUZZ_DIR)/bin/fuzz_,$(FUZZ_TARGETS))
FUZZ_AFL_BINS := $(addprefix $(FUZZ_DIR)/afl/fuzz_,$(FUZZ_TARGETS))

fuzz-build: $(FUZZ_BINS)
fuzz-afl: $(FUZZ_AFL_BINS)

# --- dictionaries and seeds -------------------------------------------------------
FUZZ_SEED_BIN := $(FUZZ_DIR)/fz-seed
FUZZ_VEC_IMGS := $(sort $(wildcard vectors/*/*/*.img))

$(FUZZ_DIR)/dict/fdt.dict $(FUZZ_DIR)/dict/json.dict &: conformance/fuzz/mkdict.py $(ABI_SRC) \
		conformance/adapter/state_json.c $(DEPS)
	$(PYTHON) conformance/fuzz/mkdict.py $(FUZZ_DIR)/dict

$(FUZZ_SEED_BIN): conformance/fuzz/fz_seed.c conformance/fuzz/fz.h $(B)/libluocimage.a $(B)/libluoconform.a $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) -Iconformance/fuzz -Iconformance/image -o $@ $< \
		$(B)/libluocimage.a $(B)/libluoconform.a -lelf -lfdt

# The adapter target's seeds: the checked-in protocol examples, and luo-ref's
# answer for every vector (restore) when the reference is built.
$(FUZZ_DIR)/seed/.stamp: $(FUZZ_SEED_BIN) $(FUZZ_VEC_IMGS) $(if $(wildcard conformance/ref/ref.mk),$(B)/luo-ref) $(wildcard conformance/fuzz/seeds/*/*)
	@rm -rf $(FUZZ_DIR)/seed && mkdir -p $(FUZZ_DIR)/seed
	@$(FUZZ_SEED_BIN) $(FUZZ_DIR)/seed $(FUZZ_VEC_IMGS)
	@for d in conformance/fuzz/seeds/*/; do t=$$(basename $$d); mkdir -p $(FUZZ_DIR)/seed/$$t; \
		cp $$d* $(FUZZ_DIR)/seed/$$t/; done
	@if [ -x $(B)/luo-ref ]; then for f in $(FUZZ_VEC_IMGS); do \
		p=$$(echo $$f | cut -d/ -f2); n=$$(echo $$f | tr / _); \
		timeout 10 $(B)/luo-ref restore --profile $$p $$f > $(FUZZ_DIR)/seed/adapter/$$n.json 2>/dev/null || true; \
		[ -s $(FUZZ_DIR)/seed/adapter/$$n.json ] || rm -f $(FUZZ_DIR)/seed/adapter/$$n.json; \
	done; fi
	@for t in $(FUZZ_TARGETS); do echo "fuzz-corpus: $$t: $$(ls $(FUZZ_DIR)/seed/$$t | wc -l) seeds"; done
	@touch $@

fuzz-corpus: $(FUZZ_DIR)/seed/.stamp $(FUZZ_DIR)/dict/fdt.dict

FUZZ_OPTS = -max_len=$(FUZZ_MAXLEN_$(1)) -dict=$(FUZZ_DIR)/dict/$(FUZZ_DICT_$(1)).dict \
	-timeout=20 -rss_limit_mb=2560 -print_final_stats=1

# --- long runs --------------------------------------------------------------------
# One recipe per target (fuzz-run-TARGET; in FUZZ_TARGETS order, or side
# by side with make -j): each gets its own input bound and dictionary.  A run that printed no statistics
# did not fuzz: its log is shown and make fails.
define fuzz_run
fuzz-run-$(1): $(FUZZ_DIR)/bin/fuzz_$(1) fuzz-corpus
	@mkdir -p $(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/artifacts/$(1) conformance/fuzz/regress/$(1)
	@echo "fuzz: $(1) for $(FUZZ_SECONDS) s"; date +%s > $(FUZZ_DIR)/.start-$(1)
	@ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
		$(FUZZ_DIR)/bin/fuzz_$(1) $(call FUZZ_OPTS,$(1)) -max_total_time=$(FUZZ_SECONDS) \
		$(if $(filter-out 1,$(FUZZ_JOBS)),-fork=$(FUZZ_JOBS)) \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)/ \
		$(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/seed/$(1) > $(FUZZ_DIR)/fuzz-$(1).log 2>&1 || true
	@grep -q '^stat::number_of_executed_units' $(FUZZ_DIR)/fuzz-$(1).log || \
		{ tail -20 $(FUZZ_DIR)/fuzz-$(1).log; echo "fuzz: $(1) did not run"; exit 1; }
	@grep -E '^stat::average_exec_per_sec|^#[0-9]+.*(DONE|pulse)' $(FUZZ_DIR)/fuzz-$(1).log | tail -2
	@conformance/fuzz/ledger.sh add $(FUZZ_DIR)/ledger.tsv $(1) $(FUZZ_DIR)/fuzz-$(1).log \
		$$$$(( $$$$(date +%s) - $$$$(cat $(FUZZ_DIR)/.start-$(1)) ))
	@for a in $(FUZZ_DIR)/artifacts/$(1)/*; do [ -f "$$$$a" ] || continue; \
		cp -n "$$$$a" conformance/fuzz/regress/$(1)/ && echo "fuzz: $(1): NEW REGRESSION INPUT $$$$a"; \
	done
.PHONY: fuzz-run-$(1)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_run,$(t))))

fuzz: $(addprefix fuzz-run-,$(FUZZ_TARGETS))
	@conformance/fuzz/ledger.sh report $(FUZZ_DIR)/ledger.tsv $(FUZZ_TARGETS)

# Each run's executions and crashes add up in $(FUZZ_DIR)/ledger.tsv.
fuzz-report:
	@conformance/fuzz/ledger.sh report $(FUZZ_DIR)/ledger.tsv $(FUZZ_TARGETS)

# --- checks -----------------------------------------------------------------------
check-fuzz-regress: $(FUZZ_BINS) $(DEPS)
	@conformance/tools/run-tap.sh fuzz-regress conformance/fuzz/replay.sh $(FUZZ_DIR)/bin \
		conformance/fuzz/regress $(FUZZ_TARGETS)

check-fuzz-smoke: $(FUZZ_BINS) fuzz-corpus $(DEPS)
	@conformance/tools/run-tap.sh fuzz-smoke conformance/fuzz/smoke.sh $(FUZZ_DIR) \
		$(FUZZ_SMOKE_SECONDS) $(foreach t,$(FUZZ_TARGETS),$(t):$(FUZZ_MAXLEN_$(t)):$(FUZZ_DICT_$(t)))

CHECKS += check-fuzz-regress check-fuzz-smoke
.PHONY: fuzz fuzz-report fuzz-build fuzz-afl fuzz-corpus check-fuzz-regress check-fuzz-smoke
