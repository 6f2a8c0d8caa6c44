# luo-conform capture (conformance/cli/capture_cmd.c):
#
#   check-capture-self  capture of every golden vector (a state image is a
#                       dump too) checks exactly like the vector: the
#                       reference collector misses no read.  Host only.
#   check-capture       the round trip through a real machine's memory:
#                       vectors written into a QEMU guest's RAM, QMP
#                       dump-guest-memory, capture, check; see
#                       test-capture-qemu.sh.  About 35 s; needs the
#                       kernel-side packages of conformance/kmod/kmod.mk.
#
# The img-* vectors test the container (not ELF, overlapping segments, no
# or a bad note), which a capture rebuilds, so they are left out of the
# self test.

CAPTURE_DIR := $(B)/tests/capture
CAPTURE_GUEST_LOAD := $(CAPTURE_DIR)/guest_load
CAPTURE_SELF_VECTORS := $(filter-out $(wildcard vectors/*/img-*/*.img),$(sort $(wildcard vectors/*/*/*.img)))

# Runs in the guest, which has no libc: static.
$(CAPTURE_GUEST_LOAD): conformance/tests/capture/guest_load.c $(DEPS)
	@mkdir -p $(@D)
	$(CC) -static -O2 $(WARN) -o $@ $<

check-capture-self: $(LUO_CONFORM) $(DEPS)
	@conformance/tools/run-tap.sh capture-self conformance/tests/capture/test-capture-self.sh \
		$(abspath $(LUO_CONFORM)) $(CAPTURE_DIR)/self $(CAPTURE_SELF_VECTORS)

check-capture: $(LUO_CONFORM) $(LUO_MKIMAGE) $(CAPTURE_GUEST_LOAD) kmod-kernel $(KMOD_DEPS)
	@conformance/tools/run-tap.sh capture conformance/tests/capture/test-capture-qemu.sh \
		$(abspath $(LUO_CONFORM)) $(abspath $(LUO_MKIMAGE)) $(CAPTURE_GUEST_LOAD) \
		$(KMOD_VMLINUZ) $(CAPTURE_DIR)/qemu

CHECKS += check-capture-self check-capture
.PHONY: check-capture-self check-capture
