# luoc.ko: the checker core (conformance/lib, unchanged) as an out-of-tree
# kernel module, built with Kbuild against Debian's kernel headers.
#
#   make kmod           build $(B)/kmod/mod/luoc.ko
#   make kmod-kernel    fetch the Debian kernel the module is built for
#                       ($(B)/kmod/vmlinuz-KVER, from linux-image-KVER-unsigned)
#
# Debian's kernels have no CONFIG_OF and export no fdt_* symbols, so the
# module carries libfdt: scripts/dtc/libfdt/*.c from Debian's
# linux-source-X.Y package, downloaded with apt-get download and extracted
# into $(B)/kmod/libfdt at build time (KMOD_SRC_DEB=path/to/linux-source-*.deb
# uses an already-downloaded package instead).  Nothing is copied into the
# tree: $(B)/kmod/mod holds one-line wrapper .c files that #include the real
# sources, as the kernel's own lib/fdt*.c do (see conformance/kmod/Kbuild).
#
# The packages it needs (kernel headers, QEMU, a static busybox) are not in
# DEB_PKGS: only the kernel-side targets install them, through
# $(KMOD_DEPS), so "make" alone never pulls a kernel toolchain.

KMOD_DIR  := $(B)/kmod
KMOD_MOD  := $(KMOD_DIR)/mod
KMOD_KO   := $(KMOD_MOD)/luoc.ko
KMOD_FDT  := $(KMOD_DIR)/libfdt
KMOD_PKGS := linux-headers-amd64 qemu-system-x86 busybox-static
KMOD_SRC_DEB ?=

# The headers linux-headers-amd64 points at decide the kernel: its ABI name
# (6.1.0-56-amd64), package version (6.1.192-2) and series (6.1).
KMOD_KVER = $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
KMOD_KPKGVER = $(shell dpkg-query -W -f='$${Version}' linux-headers-$(KMOD_KVER) 2>/dev/null)
KMOD_SERIES = $(shell echo '$(KMOD_KVER)' | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
KMOD_KDIR = /usr/src/linux-headers-$(KMOD_KVER)
KMOD_VMLINUZ = $(KMOD_DIR)/vmlinuz-$(KMOD_KVER)

# Sources the module is made of; wrappers are named by origin.
KMOD_OWN_SRCS  := $(sort $(wildcard conformance/kmod/*.c))
KMOD_CORE_SRCS := $(sort $(wildcard conformance/lib/*.c)) conformance/image/segidx.c
KMOD_HDRS := $(wildcard conformance/kmod/*.h conformance/kmod/include/*.h \
	conformance/lib/*.h conformance/include/luoc/*.h) conformance/image/segidx.h
# The libfdt files the core calls into (lib.mk's check-freestanding list).
KMOD_FDT_SRCS := fdt fdt_ro fdt_strerror

KMOD_DEPS := | $(KMOD_DIR)/.deps-ok

$(KMOD_DIR)/.deps-ok: conformance/kmod/kmod.mk | $(B)/.deps-ok
	@mkdir -p $(@D); missing=""; \
	for p in $(KMOD_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "kmod: missing Debian packages:$$missing"; \
			echo "kmod: run:  sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
		fi; \
		echo "kmod: installing$$missing"; \
		( apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $$missing ) >$(@D)/deps.log 2>&1 \
			|| { cat $(@D)/deps.log; echo "kmod: apt-get install failed (log above)"; exit 1; }; \
	fi
	@test -d $(KMOD_KDIR) || { echo "kmod: no kernel headers at $(KMOD_KDIR)"; exit 1; }
	@touch $@

# libfdt from the kernel series' own source package (only the libfdt files).
$(KMOD_FDT)/.stamp: $(KMOD_DEPS)
	@rm -rf $(KMOD_FDT) $(KMOD_DIR)/src-deb; mkdir -p $(KMOD_FDT) $(KMOD_DIR)/src-deb
	@deb="$(KMOD_SRC_DEB)"; \
	if [ -z "$$deb" ]; then \
		( cd $(KMOD_DIR)/src-deb && { apt-get download -q linux-source-$(KMOD_SERIES)=$(KMOD_KPKGVER) \
			|| apt-get download -q linux-source-$(KMOD_SERIES); } ) >$(KMOD_DIR)/src-deb.log 2>&1 \
			|| { cat $(KMOD_DIR)/src-deb.log; echo "kmod: apt-get download linux-source-$(KMOD_SERIES) failed"; exit 1; }; \
		deb=$$(ls $(KMOD_DIR)/src-deb/linux-source-*.deb); \
	fi; \
	echo "kmod: libfdt from $$(basename $$deb)"; \
	tarball=$$(dpkg-deb -c "$$deb" | sed -n 's|.* \./\(usr/src/linux-source-[^/]*\.tar\.xz\)$$|\1|p'); \
	top=$$(basename "$$tarball" .tar.xz); \
	dpkg-deb --fsys-tarfile "$$deb" | tar -xO "./$$tarball" | xz -dc | \
		tar -x -C $(KMOD_FDT) --strip-components=4 --wildcards "$$top/scripts/dtc/libfdt/*" \
		|| { echo "kmod: cannot extract libfdt from $$deb"; exit 1; }
	@rm -rf $(KMOD_DIR)/src-deb
	@for f in $(KMOD_FDT_SRCS) libfdt fdt libfdt_internal; do \
		ls $(KMOD_FDT)/$$f.[ch] >/dev/null 2>&1 || { echo "kmod: $$f missing from the extracted libfdt"; exit 1; }; \
	done
	@touch $@

# The kernel the module is built for, unpacked from its package (not installed).
$(KMOD_DIR)/vmlinuz-%: $(KMOD_DEPS)
	@rm -rf $(KMOD_DIR)/img-deb; mkdir -p $(KMOD_DIR)/img-deb
	@( cd $(KMOD_DIR)/img-deb && apt-get download -q linux-image-$*-unsigned=$(KMOD_KPKGVER) ) \
		>$(KMOD_DIR)/img-deb.log 2>&1 \
		|| { cat $(KMOD_DIR)/img-deb.log; echo "kmod: apt-get download linux-image-$*-unsigned failed"; exit 1; }
	dpkg-deb --fsys-tarfile $(KMOD_DIR)/img-deb/linux-image-$*-unsigned_*.deb | \
		tar -xO ./boot/vmlinuz-$* > $@.tmp && mv $@.tmp $@
	@rm -rf $(KMOD_DIR)/img-deb

# One wrapper per source, rewritten only when its text changes, so Kbuild
# rebuilds only what changed; wrappers of removed sources are deleted.
# Core wrappers include the kernel-side luoc_env.h first (see that file).
# The kernel build runs without our MAKEFLAGS: a CC=... or B=... given to
# this make must not reach Kbuild (modules are built with the kernel's gcc).
# Kbuild is always asked (FORCE): it knows best what is out of date, and
# says so in about a second when nothing is.
$(KMOD_KO): $(KMOD_OWN_SRCS) $(KMOD_CORE_SRCS) $(KMOD_HDRS) conformance/kmod/Kbuild \
		$(GEN_C) $(GEN_H) $(KMOD_FDT)/.stamp kmod-force $(KMOD_DEPS)
	@mkdir -p $(KMOD_MOD)
	@top=$(CURDIR); cd $(KMOD_MOD); want=""; \
	wrap() { printf '%s\n' "/* generated by conformance/kmod/kmod.mk: do not edit */" "$$2" \
		"#include \"$$3\"" > "$$1.new"; want="$$want $$1"; \
		cmp -s "$$1.new" "$$1" && rm -f "$$1.new" || mv "$$1.new" "$$1"; }; \
	for f in $(KMOD_OWN_SRCS); do wrap "$$(basename $$f)" "" "$$top/$$f"; done; \
	for f in $(KMOD_CORE_SRCS) $(GEN_C); do \
		wrap "core_$$(basename $$f)" "#include <luoc_env.h>" "$$(cd $$top && realpath $$f)"; done; \
	for f in $(KMOD_FDT_SRCS); do \
		wrap "$$f.c" "#include <linux/libfdt_env.h>" "$$(cd $$top && realpath $(KMOD_FDT))/$$f.c"; done; \
	for f in $$(grep -l '^/\* generated by conformance/kmod/kmod.mk' *.c); do \
		case " $$want " in *" $$f "*) ;; *) rm -f "$$f" "$${f%.c}.o";; esac; done; \
	cp -p $$top/conformance/kmod/Kbuild Kbuild.new; \
	cmp -s Kbuild.new Kbuild && rm -f Kbuild.new || mv Kbuild.new Kbuild
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $(MAKE) -j$$(nproc) -C $(KMOD_KDIR) \
		M=$(abspath $(KMOD_MOD)) LUOC_TOP=$(CURDIR) \
		LUOC_GEN=$(abspath $(B)/gen) LUOC_FDT=$(abspath $(KMOD_FDT)) modules
	@touch $@

kmod: $(KMOD_KO)
kmod-kernel: $(KMOD_DEPS)
	@$(MAKE) --no-print-directory $(KMOD_VMLINUZ)

kmod-force:

.PHONY: kmod kmod-kernel kmod-force
