# check-kernel: the checker core as a kernel module (conformance/kmod) must
# report exactly what luo-conform reports.  Boots the Debian kernel the
# module is built for under QEMU (TCG) with every golden vector in its
# initramfs; see check-kernel.sh.  About 15 s once built; the first run
# installs the kernel-side packages and downloads linux-source and
# linux-image (about 210 MB) -- see conformance/kmod/kmod.mk.

KMOD_CHECK_DIR := $(B)/tests/kmod
KMOD_VECTORS := $(sort $(wildcard vectors/*/*/*.img))

check-kernel: $(KMOD_KO) $(LUO_CONFORM) kmod-kernel $(KMOD_DEPS)
	@conformance/tools/run-tap.sh kernel conformance/tests/kmod/check-kernel.sh \
		$(KMOD_KO) $(KMOD_VMLINUZ) $(abspath $(LUO_CONFORM)) $(KMOD_CHECK_DIR) $(KMOD_VECTORS)

CHECKS += check-kernel
.PHONY: check-kernel
