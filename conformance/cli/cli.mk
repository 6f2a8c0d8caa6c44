# Command-line tools: luo-conform (the checker) and luo-mkimage (image builder).
# luo-conform links only what check and capture need (the core, the image
# library, libelf, libfdt, and nettle for the SHA-256 of --state); run and
# matrix are luo-conform-runner (conformance/runner/runner.mk), which it execs.
DEB_PKGS += nettle-dev

# This fragment is read before conformance/image/image.mk and
# conformance/lib/lib.mk, so prerequisites name the libraries by path.
CLI_IMAGE_LIB := $(B)/libluocimage.a
CLI_CORE_LIB := $(B)/libluoconform.a
# where make install puts luo-conform-runner (conformance/install.mk)
PREFIX ?= /usr/local
LIBEXECDIR ?= $(PREFIX)/libexec
LUOC_LIBEXECDIR ?= $(LIBEXECDIR)/luo-conformance
LUOC_CLI_CPPFLAGS := -Iconformance/cli -Iconformance/image -DLUOC_VERSION='"$(VERSION)"' \
	-DLUOC_LIBEXECDIR='"$(LUOC_LIBEXECDIR)"'
LUO_MKIMAGE := $(B)/luo-mkimage
LUO_CONFORM := $(B)/luo-conform

MKIMAGE_OBJ := $(B)/cli/mkimage.o $(B)/cli/cli_util.o
CONFORM_SRC := $(filter-out conformance/cli/mkimage.c,$(sort $(wildcard conformance/cli/*.c)))
CONFORM_OBJ := $(patsubst conformance/cli/%.c,$(B)/cli/%.o,$(CONFORM_SRC))

$(B)/cli/%.o: conformance/cli/%.c $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) $(LUOC_CLI_CPPFLAGS) -MMD -MP -c -o $@ $<

$(LUO_MKIMAGE): $(MKIMAGE_OBJ) $(CLI_IMAGE_LIB)
	$(CC) $(CFLAGS) -o $@ $(MKIMAGE_OBJ) $(CLI_IMAGE_LIB) -lelf

$(LUO_CONFORM): $(CONFORM_OBJ) $(CLI_IMAGE_LIB) $(CLI_CORE_LIB)
	$(CC) $(CFLAGS) -o $@ $(CONFORM_OBJ) $(CLI_CORE_LIB) $(CLI_IMAGE_LIB) -lelf -lfdt -lnettle

-include $(MKIMAGE_OBJ:.o=.d) $(CONFORM_OBJ:.o=.d)

ALL += $(LUO_MKIMAGE) $(LUO_CONFORM)
