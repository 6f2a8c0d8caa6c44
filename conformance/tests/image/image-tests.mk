# Unit tests of the state-image library (cmocka).
DEB_PKGS += libcmocka-dev

TEST_IMAGE := $(B)/tests/image/test_image

$(TEST_IMAGE): conformance/tests/image/test_image.c conformance/image/luoc_image.h $(LUOC_IMAGE_LIB) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_LUOC) -Iconformance/image -o $@ $< \
		$(LUOC_IMAGE_LIB) $(LUOC_IMAGE_LDLIBS) -lcmocka

check-image: $(TEST_IMAGE)
	@conformance/tools/run-tap.sh image $(TEST_IMAGE)

CHECKS += check-image
.PHONY: check-image
