# Tests of luo-conform and luo-mkimage (TAP from a shell script).
check-cli: $(B)/luo-conform $(B)/luo-mkimage $(DEPS)
	@B=$(B) conformance/tools/run-tap.sh cli conformance/tests/cli/test_cli.sh

# The image library and CLI tests again with everything (core included)
# built under gcc ASan + UBSan in $(B)/asan: any report fails a test.
check-cli-asan: $(DEPS)
	@$(MAKE) --no-print-directory -s B=$(B)/asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		check-image check-cli

CHECKS += check-cli
.PHONY: check-cli check-cli-asan
