# Tests of luo-conform run / matrix, the adapter forms, the broken sample
# adapters and make install (conformance/tests/runner/test_runner.sh, TAP).
RUNNER_TEST_ROOT := $(B)/tests/runner/root

check-runner: $(RUNNER_DRIVER) $(LUOC_REF_SO) $(LUO_REF) $(REF_BROKEN_SO) $(B)/luo-conform \
		$(INSTALL_CORE_LIB) $(INSTALL_IMAGE_LIB) $(GEN_H) $(DEPS)
	@rm -rf $(RUNNER_TEST_ROOT)
	@$(MAKE) --no-print-directory -s install B=$(B) PREFIX=/opt/luo-conformance DESTDIR=$(abspath $(RUNNER_TEST_ROOT)) >/dev/null
	@B=$(B) DRIVER=$(RUNNER_DRIVER) REF_SO=$(LUOC_REF_SO) LUO_REF=$(LUO_REF) \
		BROKEN_DIR=$(B)/ref/broken INSTALL_ROOT=$(abspath $(RUNNER_TEST_ROOT)) \
		INSTALL_PREFIX=/opt/luo-conformance \
		conformance/tools/run-tap.sh runner conformance/tests/runner/test_runner.sh

CHECKS += check-runner
CLEAN += $(RUNNER_TEST_ROOT)
.PHONY: check-runner
