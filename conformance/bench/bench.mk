# conformance/bench/bench.mk - the benchmark: checking large states near
# memory speed, with linear cost (not in "make check": timing is no test).
#
#   make bench    generate the large images (cached in $(B)/bench/img, keyed
#                 by their shape), time luo-conform check on each against a
#                 sequential read of the same bytes, time luo-conform against
#                 dt-validate per vector FDT, print the targets PASS/FAIL, and
#                 write $(B)/bench/results.json, $(B)/bench/results.rst and
#                 the committed snapshot docs/bench/results.rst
#
#   BENCH_REPS=N  repetitions per measurement (default 5)
#
# A shape PROFILE_sSESSIONS_fFILES_nFOLIOS_oORDER_xSTRIDE is one image (see
# conformance/bench/gen.h); conformance/tests/bench runs the same tools at a
# tiny size as a functional test.

BENCH_DIR     := $(B)/bench
BENCH_GEN     := $(B)/luo-bench-gen
BENCH_RUN     := $(B)/luo-bench-run
BENCH_SEQREAD := $(B)/luo-bench-seqread
BENCH_REPS    ?= 5

BENCH_GEN_SRC := $(addprefix conformance/bench/,gen.c gen_state.c gen_kmap.c gen_elf.c)
BENCH_RUN_SRC := $(addprefix conformance/bench/,run.c run_exec.c run_json.c)

# The shapes.  Main: the largest session table (819 sessions x 128 files,
# one folio each), one memfd of 64 GiB in 4 KiB folios (2^24 entries: a
# 256 MiB folio array) and in 2 MiB folios, and the same 64 GiB memfd with
# a gap after every folio (nothing merges: the per-folio path).  Scale:
# 1x, 4x, 16x of one memfd in kho-v1 (v7.0), the last one 64 GiB.
BENCH_MAIN  := v7.1_s819_f128_n1_o0_x1 v7.1_s1_f1_n16777216_o0_x1 \
	       v7.1_s1_f1_n32768_o9_x1 v7.1_s1_f1_n16777216_o0_x2
BENCH_SCALE := v7.0_s1_f1_n1048576_o0_x1 v7.0_s1_f1_n4194304_o0_x1 \
	       v7.0_s1_f1_n16777216_o0_x1
BENCH_TINY  := v7.1_s1_f1_n1_o0_x1
BENCH_IMGS  := $(patsubst %,$(BENCH_DIR)/img/%.img,$(BENCH_MAIN) $(BENCH_SCALE))
BENCH_VECTORS := $(BENCH_DIR)/vectors.list
# vectors/vectors.mk is read after this file: name its products by path
BENCH_SCHEMA  := $(B)/vectors-schema.json
BENCH_EMPTY   :=
BENCH_COMMA   := ,

$(BENCH_GEN): $(BENCH_GEN_SRC) conformance/bench/gen.h $(B)/libluoconform.a $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) -o $@ $(BENCH_GEN_SRC) $(B)/libluoconform.a -lfdt -lelf

$(BENCH_RUN): $(BENCH_RUN_SRC) conformance/bench/run.h conformance/bench/run_json.h $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -o $@ $(BENCH_RUN_SRC) -lm

$(BENCH_SEQREAD): conformance/bench/seqread.c $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

ALL += $(BENCH_GEN) $(BENCH_RUN) $(BENCH_SEQREAD)

# The cache: an image is rebuilt only when what it is written from changes
# (the generator's sources, the profile table), not with every core build.
$(BENCH_DIR)/img/%.img: $(BENCH_GEN_SRC) conformance/bench/gen.h $(GEN_C) | $(BENCH_GEN)
	@mkdir -p $(@D)
	@echo "bench: generating $*"
	@$(BENCH_GEN) $* $@

# Vector images and their LUO FDTs (the rebuild in $(B)/vectors-work), minus
# the FDTs that are not FDTs at all (bad magic, truncated): dt-validate's
# loader stops the whole batch at the first of those.
$(BENCH_VECTORS): $(B)/vectors/.stamp $(DEPS)
	@mkdir -p $(@D)
	@for dtb in $(B)/vectors-work/*/*/luo.dtb; do \
		v=$${dtb#$(B)/vectors-work/}; v=$${v%/luo.dtb}; img=vectors/$$v/$${v#*/}.img; \
		[ -f "$$img" ] && dtc -q -I dtb -O dtb -o /dev/null "$$dtb" 2>/dev/null && echo "$$img $$dtb"; \
	done >$@.tmp; mv $@.tmp $@

bench: $(BENCH_IMGS) $(BENCH_DIR)/img/$(BENCH_TINY).img $(BENCH_VECTORS) $(BENCH_RUN) $(BENCH_SEQREAD) $(B)/luo-conform $(BENCH_SCHEMA) $(DEPS)
	$(BENCH_RUN) --conform $(B)/luo-conform --seqread $(BENCH_SEQREAD) --reps $(BENCH_REPS) \
		$(addprefix --image ,$(BENCH_IMGS)) \
		--scale $(subst $(BENCH_EMPTY) $(BENCH_EMPTY),$(BENCH_COMMA),$(strip \
			$(patsubst %,$(BENCH_DIR)/img/%.img,$(BENCH_SCALE)))) \
		--tiny $(BENCH_DIR)/img/$(BENCH_TINY).img \
		--vectors $(BENCH_VECTORS) --schema $(BENCH_SCHEMA) --dt-validate /usr/bin/dt-validate \
		--out $(BENCH_DIR)/results.json
	$(PYTHON) conformance/bench/report.py $(BENCH_DIR)/results.json $(BENCH_DIR)/results.rst
	cp $(BENCH_DIR)/results.rst docs/bench/results.rst
	@echo "bench: results in $(BENCH_DIR)/results.json, $(BENCH_DIR)/results.rst and docs/bench/results.rst"

.PHONY: bench
