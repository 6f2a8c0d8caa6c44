# make install [PREFIX=/usr/local] [DESTDIR=]
#
# Installs the checker core and the image library (static), their headers
# (with the generated ABI header; the libraries are static, so their own
# dependencies -lfdt -lelf are in Libs), the adapter interface, luo-conform
# and the program behind its run and matrix commands (luo-conform-runner, in
# $(LUOC_LIBEXECDIR), where luo-conform looks for it), the
# reference adapter (libluocref.so, luo-ref), the test vectors when present,
# and a pkg-config file, so that an out-of-tree adapter builds with
#     cc -shared -fPIC -o my-adapter.so my-adapter.c $(pkg-config --cflags --libs luoconform)
#
# Included from conformance/runner/runner.mk (the top-level Makefile reads
# only conformance/*/*.mk); LUOC_INSTALL_MK guards a second inclusion.
LUOC_INSTALL_MK := 1

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DATADIR ?= $(PREFIX)/share/luo-conformance
INSTALL ?= install

LUOC_PC := $(B)/luoconform.pc

# The installed static libraries are position-independent builds of the same
# sources (the in-tree ones are built for executables), so that an adapter,
# which is a shared object, can link them.
INSTALL_CORE_CFLAGS = $(CFLAGS) $(WARN) -ffreestanding -fPIC $(CPPFLAGS_LUOC)
INSTALL_CORE_HDRS := $(wildcard conformance/lib/*.h conformance/include/luoc/*.h)
INSTALL_LIB_OBJS := $(patsubst conformance/lib/%.c,$(B)/install/lib/%.o,$(sort $(wildcard conformance/lib/*.c))) \
	$(B)/install/lib/luoc_profiles_gen.o
INSTALL_CORE_LIB := $(B)/install/libluoconform.a
INSTALL_IMAGE_LIB := $(B)/install/libluocimage.a

$(B)/install/lib/%.o: conformance/lib/%.c $(INSTALL_CORE_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(INSTALL_CORE_CFLAGS) -c $< -o $@

$(B)/install/lib/luoc_profiles_gen.o: $(GEN_C) $(GEN_H) $(INSTALL_CORE_HDRS) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(INSTALL_CORE_CFLAGS) -c $< -o $@

$(INSTALL_CORE_LIB): $(INSTALL_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(INSTALL_IMAGE_LIB): $(REF_PIC_IMAGE_OBJ)
	@mkdir -p $(@D) && rm -f $@
	$(AR) rcs $@ $^
LUOC_INSTALL_HDRS := conformance/include/luoc/luoc.h conformance/include/luoc/abi.h \
	conformance/include/luoc/luoc_env.h conformance/include/luoc/adapter.h \
	conformance/image/luoc_image.h

# Rewritten on every make (FORCE) but replaced only when PREFIX or the
# version changed, so it is never stale and never needlessly new.
$(LUOC_PC): FORCE | $(B)
	@printf '%s\n' \
		'prefix=$(PREFIX)' \
		'libdir=$(LIBDIR)' \
		'includedir=$(INCLUDEDIR)' \
		'' \
		'Name: luoconform' \
		'Description: luo-v1 handover conformance: checker core, state images, adapter interface' \
		'Version: $(VERSION)' \
		'Cflags: -I$${includedir}' \
		'Libs: -L$${libdir} -lluoconform -lluocimage -lfdt -lelf' > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv -f $@.tmp $@

FORCE:

install: $(INSTALL_CORE_LIB) $(INSTALL_IMAGE_LIB) $(B)/luo-conform $(LUO_CONFORM_RUNNER) $(LUOC_REF_SO) $(LUO_REF) $(GEN_H) $(LUOC_PC)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/luoc \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(LUOC_LIBEXECDIR)
	$(INSTALL) -m 0755 $(B)/luo-conform $(LUO_REF) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0755 $(LUO_CONFORM_RUNNER) $(DESTDIR)$(LUOC_LIBEXECDIR)/
	$(INSTALL) -m 0644 $(INSTALL_CORE_LIB) $(INSTALL_IMAGE_LIB) $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -m 0755 $(LUOC_REF_SO) $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -m 0644 $(LUOC_INSTALL_HDRS) $(GEN_H) $(DESTDIR)$(INCLUDEDIR)/luoc/
	$(INSTALL) -m 0644 $(LUOC_PC) $(DESTDIR)$(PKGCONFIGDIR)/
	@if [ -f vectors/manifest.yaml ]; then \
		echo "install vectors -> $(DESTDIR)$(DATADIR)/vectors"; \
		$(INSTALL) -d $(DESTDIR)$(DATADIR); \
		cp -R vectors $(DESTDIR)$(DATADIR)/; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/luo-conform $(DESTDIR)$(BINDIR)/luo-ref \
		$(DESTDIR)$(LIBDIR)/libluoconform.a $(DESTDIR)$(LIBDIR)/libluocimage.a \
		$(DESTDIR)$(LIBDIR)/libluocref.so $(DESTDIR)$(PKGCONFIGDIR)/luoconform.pc \
		$(DESTDIR)$(LUOC_LIBEXECDIR)/luo-conform-runner
	-rmdir $(DESTDIR)$(LUOC_LIBEXECDIR)
	rm -rf $(DESTDIR)$(INCLUDEDIR)/luoc $(DESTDIR)$(DATADIR)

.PHONY: install uninstall FORCE
