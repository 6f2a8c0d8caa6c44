# Tests of the reference implementation (conformance/ref):
#   check-ref       cmocka: round trips in every profile, page size and byte
#                   order, injected defects against the outcome tables, and a
#                   seeded mutation fuzzer
#   check-ref-asan  the same under gcc ASan + UBSan (fewer fuzz iterations)
REF_TEST_BIN := $(B)/tests/ref/test_ref
REF_TEST_ASAN := $(B)/tests/ref/test_ref_asan
REF_TEST_SRC := conformance/tests/ref/test_ref.c

$(REF_TEST_BIN): $(REF_TEST_SRC) $(LUOC_REF_LIB) $(LUOC_ADAPTER_LIB) $(B)/libluocimage.a $(REF_HDRS) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(REF_CPPFLAGS) -o $@ $(REF_TEST_SRC) $(LUOC_REF_LIB) \
		$(LUOC_ADAPTER_LIB) $(B)/libluocimage.a -lcmocka -ljson-c $(LUOC_REF_LDLIBS)

REF_ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(REF_TEST_ASAN): $(REF_TEST_SRC) $(addprefix conformance/ref/,$(addsuffix .c,$(REF_NAMES))) \
		$(sort $(wildcard conformance/image/*.c)) conformance/adapter/arena.c conformance/adapter/state.c $(GEN_C) $(REF_HDRS) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(REF_ASAN_FLAGS) $(WARN) $(REF_CPPFLAGS) -DFUZZ_ITERATIONS=400 -o $@ $(REF_TEST_SRC) \
		$(addprefix conformance/ref/,$(addsuffix .c,$(REF_NAMES))) $(GEN_C) \
		$(sort $(wildcard conformance/image/*.c)) conformance/adapter/arena.c conformance/adapter/state.c \
		-lcmocka $(LUOC_REF_LDLIBS)

check-ref: $(REF_TEST_BIN) $(DEPS)
	@conformance/tools/run-tap.sh ref $(REF_TEST_BIN)

check-ref-asan: $(REF_TEST_ASAN) $(DEPS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		conformance/tools/run-tap.sh ref-asan $(REF_TEST_ASAN)

CHECKS += check-ref check-ref-asan
.PHONY: check-ref check-ref-asan
