# Tests of spec/abi and its generator.
check-abi: $(GEN_H) $(DEPS)
	@B=$(B) conformance/tools/run-tap.sh abi conformance/tests/abi/test_abi.sh

CHECKS += check-abi
.PHONY: check-abi
