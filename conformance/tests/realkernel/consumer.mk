# Real Linux end to end, consumer side (conformance/tests/realkernel/consumer):
#
#   check-real-kernel-consumer
#       every v7.2 golden vector of vectors/manifest.yaml is handed to a
#       real Linux 7.2 kernel as its incoming KHO state and the kernel's
#       reaction is compared with the vector's expected v7.2 outcome.  The
#       kernel is built for arm64 (QEMU virt, TCG), where the KHO root and
#       scratch areas reach it through /chosen (linux,kho-fdt,
#       linux,kho-scratch) of the DTB; the vector's pages are placed at their
#       physical addresses with QEMU's generic loader; no kexec is involved.
#       /init (luo-consume) retrieves the expected sessions and memfds.
#       KTAP, one test per vector; summary in
#       $(B)/realkernel-arm64/consumer-summary.json.  Details, results and
#       the known disagreements: conformance/tests/realkernel/consumer/README.rst.
#
#   KERNEL_SRC=DIR   build the kernels from the kernel tree DIR instead of
#                    Debian's linux-source-7.2 (out of tree, `make O=`: DIR
#                    is not written to and must be clean -- no in-tree
#                    .config or objects).  Kernels go to
#                    $(B)/realkernel-arm64/custom-<name of DIR>/<variant>/
#                    instead of $(B)/realkernel-arm64/<variant>/.
#   RK_SOURCE_DEB    an already downloaded linux-source-7.2 .deb (default:
#                    /tmp/kapt/linux-source-7.2_*_all.deb when present).
#   RKC_VECTORS      only these vector ids (e.g. "v7.2/empty v7.2/ser-compat-v6").
#   RKC_PROFILE      the profile the kernel speaks (default v7.2): its vectors
#                    are booted and judged by its outcome column of the
#                    manifest (e.g. v7.1 with KERNEL_SRC= a v7.1 tree).
#
# Not in CHECKS: the first run builds two kernels (le4k, le16k: ~5 min of
# CPU each, plus the source extraction or download); later runs take about
# 1.5 min (60 boots of ~1 s).  Packages come in through $(RKC_DEPS), never
# DEB_PKGS: "make" alone stays light.

RKC_DIR    := $(B)/realkernel-arm64
RKC_PROFILE ?= v7.2
RKC_KROOT  := $(if $(KERNEL_SRC),$(RKC_DIR)/custom-$(notdir $(abspath $(KERNEL_SRC))),$(RKC_DIR))
RKC_CONF   := conformance/realkernel/arm64
RKC_TESTS  := conformance/tests/realkernel/consumer
RKC_PKGS   := gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm \
	device-tree-compiler cpio xz-utils flex bison bc python3-yaml
RKC_SOURCE_DEB = $(or $(RK_SOURCE_DEB),$(wildcard /tmp/kapt/linux-source-7.2_*_all.deb))
RKC_DEPS   := | $(RKC_DIR)/.deps-ok
# The geometries built: little-endian with 4 KiB and with 16 KiB pages
# (the page-16k vector's writer).
RKC_VARIANTS := le4k le16k
RKC_IMAGES := $(foreach v,$(RKC_VARIANTS),$(RKC_KROOT)/$(v)/Image)
RKC_GUEST  := $(RKC_KROOT)/le4k/luo-consume-le

$(RKC_DIR)/.deps-ok: conformance/tests/realkernel/consumer.mk | $(B)/.deps-ok
	@mkdir -p $(@D); missing=""; \
	for p in $(RKC_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "realkernel-consumer: missing Debian packages:$$missing"; \
			echo "realkernel-consumer: run:  sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
		fi; \
		echo "realkernel-consumer: installing$$missing"; \
		( apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $$missing ) >$(@D)/deps.log 2>&1 \
			|| { cat $(@D)/deps.log; echo "realkernel-consumer: apt-get install failed (log above)"; exit 1; }; \
	fi
	@touch $@

# A tree given with KERNEL_SRC can change behind make's back: always run
# build-arm64.sh for it (it rebuilds only what changed).
RKC_FORCE := $(if $(KERNEL_SRC),.rkc-force)

$(RKC_KROOT)/%/Image: $(RKC_CONF)/kernel.config $(RKC_CONF)/variant-%.config \
		$(RKC_TESTS)/build-arm64.sh $(RKC_FORCE) $(RKC_DEPS)
	@echo "realkernel-consumer: building the arm64 $* kernel (log: $(@D)/kbuild.log)"
	KERNEL_SRC=$(KERNEL_SRC) RK_SOURCE_DEB=$(RKC_SOURCE_DEB) \
		$(RKC_TESTS)/build-arm64.sh $(RKC_KROOT) $* \
		$(RKC_CONF)/kernel.config $(RKC_CONF)/variant-$*.config

# /init of every little-endian boot; static (the initramfs has nothing
# else).  The uapi header comes from the tree the kernel was built from.
$(RKC_GUEST): $(RKC_CONF)/luo-consume.c $(RKC_CONF)/sha256.h \
		$(RKC_KROOT)/le4k/Image $(RKC_DEPS)
	aarch64-linux-gnu-gcc -static -O2 $(WARN) -I$(RKC_KROOT)/le4k/uapi -I$(RKC_CONF) \
		-o $@ $(RKC_CONF)/luo-consume.c

# The docs' results page shows the full run on Debian's 7.2 only.
RKC_RESULTS := $(if $(RKC_VECTORS)$(KERNEL_SRC)$(filter-out v7.2,$(RKC_PROFILE)),,yes)

check-real-kernel-consumer: $(LUO_CONFORM) $(RKC_IMAGES) $(RKC_GUEST) $(RKC_DEPS)
	@RKC_PROFILE=$(RKC_PROFILE) $(RKC_TESTS)/test-consumer.sh $(abspath $(RKC_KROOT)) \
		$(abspath $(RKC_GUEST)) $(abspath $(LUO_CONFORM)) $(abspath vectors/manifest.yaml) \
		$(abspath $(RKC_KROOT)/runs-$(RKC_PROFILE)) $(RKC_VECTORS)
	@$(if $(RKC_RESULTS),$(PYTHON) conformance/tests/realkernel/results.py docs/realkernel/results.rst \
		--consumer $(RKC_KROOT)/consumer-summary.json,:)

.PHONY: check-real-kernel-consumer .rkc-force
