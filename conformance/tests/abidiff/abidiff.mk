# Tests of luo-abi-diff: fixtures replaying the ABI's history in spec/abi form
# and as kernel headers, the real description, git mode and the CI gate.
check-abidiff: $(LUO_ABI_DIFF) $(DEPS)
	@LUO_ABI_DIFF=$(LUO_ABI_DIFF) conformance/tools/run-tap.sh abidiff conformance/tests/abidiff/test_abidiff.sh

CHECKS += check-abidiff
.PHONY: check-abidiff
