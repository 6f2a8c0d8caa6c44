# Functional test of the benchmark tools at a tiny size (no timing assertion):
# luo-bench-gen writes images luo-conform finds conformant, luo-bench-run's
# results parse and render, and the core's folio fast path reports exactly
# what the entry-by-entry walk reports on damaged images.
check-bench: $(B)/luo-bench-gen $(B)/luo-bench-run $(B)/luo-bench-seqread $(B)/luo-conform \
	     $(B)/tests/bench/diffcheck $(B)/tests/bench/diffcheck-slow $(DEPS)
	@B=$(B) conformance/tools/run-tap.sh bench conformance/tests/bench/test_bench.sh

CHECKS += check-bench
.PHONY: check-bench

# The differential harness: the core as built, and the core with its folio
# fast path compiled out (LUOC_FOLIO_FAST_OFF), must report the same.
BENCH_DIFF      := $(B)/tests/bench/diffcheck
BENCH_DIFF_SLOW := $(B)/tests/bench/diffcheck-slow
BENCH_DIFF_DEPS := conformance/tests/bench/diffcheck.c $(B)/libluocimage.a

$(BENCH_DIFF): $(BENCH_DIFF_DEPS) $(B)/libluoconform.a $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) -Iconformance/image -o $@ $< \
		$(B)/libluoconform.a $(B)/libluocimage.a -lfdt -lelf

$(BENCH_DIFF_SLOW): $(BENCH_DIFF_DEPS) $(CORE_SRCS) $(CORE_HDRS) $(GEN_C) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -DLUOC_FOLIO_FAST_OFF $(CPPFLAGS_LUOC) -Iconformance/image -o $@ $< \
		$(CORE_SRCS) $(GEN_C) $(B)/libluocimage.a -lfdt -lelf
