# State-image library (libelf): $(LUOC_IMAGE_LIB) = $(B)/libluocimage.a.
# Link users with $(LUOC_IMAGE_LIB) $(LUOC_IMAGE_LDLIBS).
DEB_PKGS += libelf-dev

LUOC_IMAGE_SRC := $(sort $(wildcard conformance/image/*.c))
LUOC_IMAGE_OBJ := $(patsubst conformance/image/%.c,$(B)/image/%.o,$(LUOC_IMAGE_SRC))
LUOC_IMAGE_LIB := $(B)/libluocimage.a
LUOC_IMAGE_LDLIBS := -lelf
LUOC_IMAGE_CPPFLAGS := -Iconformance/image

$(B)/image/%.o: conformance/image/%.c $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) $(LUOC_IMAGE_CPPFLAGS) -MMD -MP -c -o $@ $<

$(LUOC_IMAGE_LIB): $(LUOC_IMAGE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

-include $(LUOC_IMAGE_OBJ:.o=.d)

ALL += $(LUOC_IMAGE_LIB)
