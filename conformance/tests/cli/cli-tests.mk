# Tests of luo-conform and luo-mkimage (TAP from a shell script).
check-cli: $(B)/luo-conform $(B)/luo-mkimage $(DEPS)
	@B=$(B) conformance/tools/run-tap.sh cli conformance/tests/cli/test_cli.sh

# Bare FDTs: the vectors' KHO roots and LUO FDTs, alone (BARE_VW: where
# their rebuilt FDTs are, BARE_STAMP: their rebuild; vectors/vectors.mk
# names them $(B)/vectors-work and $(B)/vectors/.stamp, and the ASan run
# below reuses the normal build's).
BARE_VW ?= $(B)/vectors-work
BARE_STAMP ?= $(B)/vectors/.stamp
check-cli-bare: $(B)/luo-conform $(BARE_STAMP) $(DEPS)
	@B=$(B) VW=$(BARE_VW) conformance/tools/run-tap.sh cli-bare conformance/tests/cli/test_bare.sh

# The image library and CLI tests again with everything (core included)
# built under gcc ASan + UBSan in $(B)/asan: any report fails a test.
check-cli-asan: $(B)/vectors/.stamp $(DEPS)
	@$(MAKE) --no-print-directory -s B=$(B)/asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		BARE_VW=$(B)/vectors-work BARE_STAMP=$(B)/vectors/.stamp check-image check-cli check-cli-bare

CHECKS += check-cli check-cli-bare
.PHONY: check-cli check-cli-bare check-cli-asan
