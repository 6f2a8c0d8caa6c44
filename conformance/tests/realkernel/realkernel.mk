# Real Linux end to end, producer side (conformance/tests/realkernel;
# README.rst there says more):
#
#   check-real-kernel  a real Linux kernel (tinyconfig +
#                      conformance/realkernel/kernel.config) boots in QEMU
#                      (TCG, x86-64), preserves sessions and memfds through
#                      /dev/liveupdate and kexecs into itself; at
#                      machine_kexec the guest's memory is dumped, captured
#                      and checked against $(RK_PROFILE) and against what the
#                      guest preserved; then the new kernel must retrieve it
#                      all.  Two boots: "basic" (4 sessions) and "chains"
#                      (64 sessions, a 70-file session, 64 MiB, sparse and
#                      sealed memfds).  Writes $(RK_KDIR)/producer-summary.json.
#
# Variables:
#   KERNEL_SRC=DIR   test the kernel tree DIR (a clean checkout: kbuild
#                    refuses O= builds of a tree configured in place) instead
#                    of Debian's linux-source-7.2.  Built out of tree with
#                    make O= into $(B)/realkernel-tree-<name>-<hash of DIR>/,
#                    so the cached Debian build is left alone; DIR is never
#                    written to.  kbuild runs on every check (incremental).
#   RK_PROFILE=NAME  the profile the captured states must conform to
#                    (v6.19, v7.0, v7.1, v7.2; default v7.2).  For v6.19
#                    and v7.0 (memfd-v1) the guest expects seals to be lost.
#   RK_SOURCE_DEB    an already downloaded linux-source-7.2 .deb to use
#                    instead of downloading it.
#   RK_SETS          the guest scenarios to boot (default "basic chains").
#   RK_JOBS          kbuild -j (default 2).
#
# Not in CHECKS: the first run downloads ~150 MB and builds a kernel
# (~6 min on 2 cores); later runs take about a minute.  Packages come in
# through $(RK_DEPS), never through DEB_PKGS: "make" alone stays light.

RK_DIR     := $(B)/realkernel
RK_PROFILE ?= v7.2
RK_PKGS    := qemu-system-x86 gdb busybox-static cpio jq file flex bison bc \
	xz-utils libelf-dev
RK_SOURCE_DEB ?= $(wildcard /tmp/kapt/linux-source-7.2_*_all.deb)
RK_DEPS    := | $(RK_DIR)/.deps-ok

ifneq ($(strip $(KERNEL_SRC)),)
RK_TREE    := $(abspath $(KERNEL_SRC))
RK_KDIR    := $(B)/realkernel-tree-$(notdir $(RK_TREE))-$(shell printf %s '$(RK_TREE)' | sha256sum | cut -c1-8)
RK_BUILD   = conformance/tests/realkernel/build-kernel.sh --tree $(RK_TREE) \
	$(RK_KDIR) conformance/realkernel/kernel.config
RK_FORCE   := rk-force
else
RK_KDIR    := $(RK_DIR)
RK_BUILD   = conformance/tests/realkernel/build-kernel.sh $(RK_KDIR) \
	conformance/realkernel/kernel.config $(RK_SOURCE_DEB)
RK_FORCE   :=
endif
RK_KERNEL  := $(RK_KDIR)/.kernel-ok
RK_BZIMAGE := $(RK_KDIR)/bzImage
RK_SYSMAP  := $(RK_KDIR)/System.map
RK_GUEST   := $(RK_KDIR)/luo-guest-$(RK_PROFILE)

$(RK_DIR)/.deps-ok: conformance/tests/realkernel/realkernel.mk | $(B)/.deps-ok
	@mkdir -p $(@D); missing=""; \
	for p in $(RK_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "realkernel: missing Debian packages:$$missing"; \
			echo "realkernel: run:  sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
		fi; \
		echo "realkernel: installing$$missing"; \
		( apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $$missing ) >$(@D)/deps.log 2>&1 \
			|| { cat $(@D)/deps.log; echo "realkernel: apt-get install failed (log above)"; exit 1; }; \
	fi
	@touch $@

# The stamp stands for bzImage, System.map and uapi/linux/liveupdate.h.
# A user's tree may change under us: with KERNEL_SRC kbuild runs every
# time and decides what to rebuild.
rk-force:
.PHONY: rk-force

$(RK_KERNEL): conformance/realkernel/kernel.config \
		conformance/tests/realkernel/build-kernel.sh $(RK_FORCE) $(RK_DEPS)
	@echo "realkernel: building the kernel $(if $(RK_TREE),in $(RK_TREE),from linux-source-7.2) (log: $(RK_KDIR)/kbuild.log)"
	nice -n 5 $(RK_BUILD)
	@touch $@

# Runs as a process of the guest's busybox system: static.  Whether the
# profile's memfd handler carries seals decides what retrieve expects.
$(RK_GUEST): conformance/realkernel/luo-guest.c $(RK_KERNEL) \
		conformance/tests/realkernel/compare-state.py $(RK_DEPS)
	seals=$$($(PYTHON) conformance/tests/realkernel/compare-state.py seals $(RK_PROFILE)) && \
	$(CC) -static -O2 $(WARN) -DRK_MEMFD_SEALS=$$seals -I$(RK_KDIR)/uapi \
		-o $@ conformance/realkernel/luo-guest.c -lcrypto -lpthread

check-real-kernel: $(LUO_CONFORM) $(RK_KERNEL) $(RK_GUEST) $(RK_DEPS)
	@conformance/tools/run-tap.sh realkernel conformance/tests/realkernel/test-realkernel.sh \
		$(abspath $(LUO_CONFORM)) $(abspath $(RK_BZIMAGE)) $(abspath $(RK_SYSMAP)) \
		$(abspath $(RK_GUEST)) $(abspath conformance/tests/capture/qmp.py) \
		$(abspath $(RK_KDIR)/run) $(RK_PROFILE) $(abspath $(RK_KDIR)/producer-summary.json)
	@$(if $(KERNEL_SRC),:,$(PYTHON) conformance/tests/realkernel/results.py docs/realkernel/results.rst \
		--producer $(RK_KDIR)/producer-summary.json)

.PHONY: check-real-kernel
