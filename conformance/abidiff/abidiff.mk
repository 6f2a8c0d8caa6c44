# luo-abi-diff: compare two ABI descriptions (spec/abi directories, profiles,
# kernel ABI headers or git revisions) and check the compatible-string bumps.
# Sources, shim and the gate script are in conformance/abidiff/; the tests in
# conformance/tests/abidiff/.

LUO_ABI_DIFF  := $(B)/luo-abi-diff
ABIDIFF_SRCS  := $(sort $(wildcard conformance/abidiff/*.c))
ABIDIFF_HDRS  := $(wildcard conformance/abidiff/*.h)
# Where the tool finds its helpers when run from this tree (each can be
# overridden at run time: LUO_ABIJSON, LUO_PYTHON, LUO_ABIDIFF_SHIM).
ABIDIFF_DEFS  := -DABIDIFF_ABIJSON='"$(CURDIR)/conformance/tools/abijson.py"' \
	-DABIDIFF_PYTHON='"$(PYTHON)"' \
	-DABIDIFF_SHIM='"$(CURDIR)/conformance/abidiff/shim"' \
	-DABIDIFF_VERSION='"$(VERSION)"'

$(LUO_ABI_DIFF): $(ABIDIFF_SRCS) $(ABIDIFF_HDRS) conformance/abidiff/abidiff.mk $(DEPS)
	$(CC) $(CFLAGS) $(WARN) $(ABIDIFF_DEFS) -Iconformance/abidiff -o $@ $(ABIDIFF_SRCS) \
		-ldw -lelf -ljson-c

luo-abi-diff: $(LUO_ABI_DIFF)

# CI gate: spec/abi of the merge base (or HEAD~1) against the work tree.
check-abi-bump: $(LUO_ABI_DIFF) $(DEPS)
	@LUO_ABI_DIFF=$(LUO_ABI_DIFF) conformance/abidiff/check-abi-bump.sh

ALL      += $(LUO_ABI_DIFF)
CHECKS   += check-abi-bump
DEB_PKGS += libjson-c-dev libdw-dev git
.PHONY: luo-abi-diff check-abi-bump
