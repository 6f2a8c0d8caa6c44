# conformance/lib/lib.mk - libluoconform, the freestanding checker core,
# and its tests (conformance/tests/core: the top-level Makefile includes
# only conformance/*/*.mk, so the core's test rules live here).
#
#   $(LUOC_LIB)         build/libluoconform.a; link users with $(LUOC_LDLIBS)
#   check-core          cmocka unit tests (TAP through run-tap.sh)
#   check-core-asan     the same, core and tests under gcc ASan + UBSan
#   check-freestanding  every core object links against nothing but libfdt
#                       and the string primitives luoc_env.h names

LUOC_LIB    := $(B)/libluoconform.a
LUOC_LDLIBS := $(LUOC_LIB) -lfdt

CORE_SRCS  := $(sort $(wildcard conformance/lib/*.c))
CORE_HDRS  := $(wildcard conformance/lib/*.h) $(wildcard conformance/include/luoc/*.h)
CORE_OBJS  := $(patsubst conformance/lib/%.c,$(B)/obj/lib/%.o,$(CORE_SRCS)) \
	     $(B)/obj/lib/luoc_profiles_gen.o
# -ffreestanding: the core must build where there is no libc (kernel, firmware)
CORE_CFLAGS = $(CFLAGS) $(WARN) -ffreestanding $(CPPFLAGS_LUOC)

$(B)/obj/lib/%.o: conformance/lib/%.c $(CORE_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(B)/obj/lib/luoc_profiles_gen.o: $(GEN_C) $(GEN_H) $(CORE_HDRS) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(LUOC_LIB): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

ALL += $(LUOC_LIB)

# --- freestanding check -----------------------------------------------------
# libfdt functions the kernel's scripts/dtc/libfdt provides (fdt.c, fdt_ro.c,
# fdt_wip.c, fdt_sw.c, fdt_rw.c, fdt_strerror.c; not fdt_check.c) that the
# core may call, and the string primitives of luoc_env.h.  Nothing else may
# stay undefined: no malloc, no stdio, no errno, no __stack_chk_fail.
CORE_FS_ALLOWED := fdt_check_header fdt_next_tag fdt_offset_ptr fdt_strerror \
	fdt_getprop fdt_getprop_by_offset fdt_get_name fdt_subnode_offset \
	fdt_first_property_offset fdt_next_property_offset fdt_first_subnode \
	fdt_next_subnode fdt_node_check_compatible fdt_stringlist_contains \
	fdt_path_offset fdt_get_property_by_offset fdt_get_string fdt_string \
	memcpy memmove memset memcmp memchr strlen strnlen strcmp strncmp
CORE_FS_DIR := $(B)/obj/freestanding

check-freestanding: $(CORE_SRCS) $(GEN_C) $(GEN_H) $(CORE_HDRS) $(DEPS)
	@rm -rf $(CORE_FS_DIR); mkdir -p $(CORE_FS_DIR); pass=0; fail=0; \
	for src in $(CORE_SRCS) $(GEN_C); do \
		if $(CC) $(CFLAGS) $(WARN) -ffreestanding -fno-stack-protector \
			$(CPPFLAGS_LUOC) -c $$src -o $(CORE_FS_DIR)/$$(basename $$src .c).o; then \
			echo "ok - $$src compiles with -ffreestanding -fno-stack-protector"; pass=$$((pass+1)); \
		else \
			echo "not ok - $$src does not compile freestanding"; fail=$$((fail+1)); \
		fi; \
	done; \
	ld -r -o $(CORE_FS_DIR)/core.ro $(CORE_FS_DIR)/*.o; \
	need=$$(nm -u $(CORE_FS_DIR)/core.ro | awk '{print $$2}'); \
	echo "# the linked core needs: $$(echo $$need)"; \
	bad=$$(printf '%s\n' $$need | grep -vxF $(addprefix -e ,$(CORE_FS_ALLOWED)) || true); \
	if [ -n "$$need" ] && [ -z "$$bad" ]; then \
		echo "ok - undefined symbols are only kernel-libfdt functions and string primitives"; pass=$$((pass+1)); \
	else \
		echo "not ok - undefined symbols outside the allowed set: $$(echo $$bad)"; fail=$$((fail+1)); \
	fi; \
	echo "RESULT freestanding: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# --- unit tests ---------------------------------------------------------------
CORE_TEST_SRCS := $(filter-out %/bench_core.c,$(sort $(wildcard conformance/tests/core/*.c)))
CORE_TEST_HDRS := $(wildcard conformance/tests/core/*.h)
CORE_TEST_BIN  := $(B)/tests/core/test_core
CORE_ASAN_BIN  := $(B)/tests/core/test_core_asan
CORE_TEST_CFLAGS = $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) -Iconformance/lib -Iconformance/tests/core
# test_libfdt_seam.c stands in for another libfdt's fdt_next_tag()
CORE_TEST_WRAP := -Wl,--wrap=fdt_next_tag

$(CORE_TEST_BIN): $(CORE_TEST_SRCS) $(CORE_TEST_HDRS) $(LUOC_LIB) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CORE_TEST_CFLAGS) $(CORE_TEST_WRAP) -o $@ $(CORE_TEST_SRCS) $(LUOC_LDLIBS) -lcmocka

# One build of core + tests under the sanitizers; any report aborts the test.
CORE_ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(CORE_ASAN_BIN): $(CORE_TEST_SRCS) $(CORE_TEST_HDRS) $(CORE_SRCS) $(CORE_HDRS) $(GEN_C) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CORE_ASAN_FLAGS) $(WARN) -ffreestanding $(CPPFLAGS_LUOC) -c $(GEN_C) -o $(B)/tests/core/gen_asan.o
	$(CC) $(CORE_ASAN_FLAGS) $(WARN) $(CPPFLAGS_LUOC) -Iconformance/lib -Iconformance/tests/core \
		$(CORE_TEST_WRAP) -o $@ $(CORE_TEST_SRCS) $(CORE_SRCS) $(B)/tests/core/gen_asan.o -lfdt -lcmocka

check-core: $(CORE_TEST_BIN) $(DEPS)
	@conformance/tools/run-tap.sh core $(CORE_TEST_BIN)

check-core-asan: $(CORE_ASAN_BIN) $(DEPS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		conformance/tools/run-tap.sh core-asan $(CORE_ASAN_BIN)

# Throughput of the folio pass (not in CHECKS): bench-core BENCH_PROFILE=v7.0 BENCH_FOLIOS=16777216
CORE_BENCH_BIN := $(B)/tests/core/bench_core
BENCH_PROFILE ?= v7.1
BENCH_FOLIOS  ?= 4194304
$(CORE_BENCH_BIN): conformance/tests/core/bench_core.c conformance/tests/core/tb.c $(CORE_TEST_HDRS) $(LUOC_LIB) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CORE_TEST_CFLAGS) -o $@ conformance/tests/core/bench_core.c conformance/tests/core/tb.c $(LUOC_LDLIBS)

bench-core: $(CORE_BENCH_BIN)
	$(CORE_BENCH_BIN) $(BENCH_PROFILE) $(BENCH_FOLIOS)

CHECKS += check-freestanding check-core check-core-asan
.PHONY: check-freestanding check-core check-core-asan bench-core
