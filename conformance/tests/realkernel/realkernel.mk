# Real Linux end to end, producer side (conformance/tests/realkernel):
#
#   check-real-kernel  a Linux 7.2 kernel (Debian linux-source-7.2, tinyconfig
#                      + conformance/realkernel/kernel.config) boots in QEMU
#                      (TCG), preserves sessions and memfds through
#                      /dev/liveupdate and kexecs into itself; at
#                      machine_kexec the guest's memory is dumped, captured
#                      and checked against v7.2 and against what the guest
#                      preserved; then the new kernel must retrieve it all.
#
# Not in CHECKS: the first run downloads ~150 MB and builds a kernel
# (~6 min on 2 cores); later runs take about a minute.  Packages come in
# through $(RK_DEPS), never through DEB_PKGS: "make" alone stays light.
# RK_SOURCE_DEB names an already downloaded linux-source-7.2 .deb to use
# instead of downloading it.

RK_DIR     := $(B)/realkernel
RK_BZIMAGE := $(RK_DIR)/bzImage
RK_SYSMAP  := $(RK_DIR)/System.map
RK_GUEST   := $(RK_DIR)/luo-guest
RK_PKGS    := qemu-system-x86 gdb busybox-static cpio jq file flex bison bc \
	xz-utils libelf-dev
RK_SOURCE_DEB ?= $(wildcard /tmp/kapt/linux-source-7.2_*_all.deb)
RK_DEPS    := | $(RK_DIR)/.deps-ok

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

$(RK_BZIMAGE) $(RK_SYSMAP) $(RK_DIR)/uapi/linux/liveupdate.h &: \
		conformance/realkernel/kernel.config \
		conformance/tests/realkernel/build-kernel.sh $(RK_DEPS)
	@echo "realkernel: building the 7.2 kernel (log: $(RK_DIR)/kbuild.log)"
	conformance/tests/realkernel/build-kernel.sh $(RK_DIR) \
		conformance/realkernel/kernel.config $(RK_SOURCE_DEB)

# Runs as a process of the guest's busybox system: static.
$(RK_GUEST): conformance/realkernel/luo-guest.c $(RK_DIR)/uapi/linux/liveupdate.h $(RK_DEPS)
	$(CC) -static -O2 $(WARN) -I$(RK_DIR)/uapi -Iconformance/realkernel -o $@ \
		conformance/realkernel/luo-guest.c -lcrypto -lpthread

check-real-kernel: $(LUO_CONFORM) $(RK_BZIMAGE) $(RK_SYSMAP) $(RK_GUEST) $(RK_DEPS)
	@conformance/tools/run-tap.sh realkernel conformance/tests/realkernel/test-realkernel.sh \
		$(abspath $(LUO_CONFORM)) $(abspath $(RK_BZIMAGE)) $(abspath $(RK_SYSMAP)) \
		$(abspath $(RK_GUEST)) $(abspath conformance/tests/capture/qmp.py) $(abspath $(RK_DIR)/run)

.PHONY: check-real-kernel
