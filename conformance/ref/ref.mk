# The reference implementation (conformance/ref), written from spec/abi:
#   $(LUOC_REF_LIB)   $(B)/libluocref.a   linked into luo-conform as its default implementation
#   $(LUOC_REF_SO)    $(B)/libluocref.so  the same as a loadable adapter (luoc_adapter_get)
#   $(LUO_REF)        $(B)/luo-ref        the same as a subprocess adapter (PROTOCOL.rst)
#   broken samples    $(B)/ref/broken/libluocref-NAME.so, one deliberate defect each
# Link users of $(LUOC_REF_LIB) with $(LUOC_REF_LDLIBS).
DEB_PKGS += libssl-dev libjson-c-dev

REF_NAMES := ref_util ref_wmem ref_kmap ref_memfd ref_preserve ref_restore ref_adapter
REF_HDRS := conformance/ref/ref.h $(wildcard conformance/include/luoc/*.h) conformance/image/luoc_image.h \
	conformance/adapter/arena.h
# The reference keeps its own copy of the generated profile table, renamed so
# it never shares an object with the checker core.
REF_CPPFLAGS := $(CPPFLAGS_LUOC) -Iconformance/ref -Iconformance/image -Iconformance/adapter \
	-Dluoc_profiles=luoc_ref_profiles -Dluoc_n_profiles=luoc_ref_n_profiles \
	-DLUOC_SUITE_VERSION='"$(VERSION)"'
REF_CFLAGS = $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden
LUOC_REF_LIB := $(B)/libluocref.a
LUOC_REF_SO := $(B)/libluocref.so
LUO_REF := $(B)/luo-ref
LUOC_REF_LDLIBS := -lfdt -lelf -lcrypto

REF_OBJ := $(patsubst %,$(B)/ref/obj/%.o,$(REF_NAMES)) $(B)/ref/obj/profiles_gen.o
REF_SO_OBJ := $(patsubst %,$(B)/ref/so/%.o,$(REF_NAMES)) $(B)/ref/obj/profiles_gen.o
# The image library and the adapter's arena again, position-independent,
# for the shared objects.
REF_PIC_IMAGE_OBJ := $(patsubst conformance/image/%.c,$(B)/ref/pic-image/%.o,$(sort $(wildcard conformance/image/*.c))) \
	$(B)/ref/pic-adapter/arena.o

$(B)/ref/obj/%.o: conformance/ref/%.c $(REF_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(REF_CFLAGS) $(REF_CPPFLAGS) -MMD -MP -c -o $@ $<

$(B)/ref/obj/profiles_gen.o: $(GEN_C) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(REF_CFLAGS) $(REF_CPPFLAGS) -c -o $@ $<

$(B)/ref/so/%.o: conformance/ref/%.c $(REF_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(REF_CFLAGS) $(REF_CPPFLAGS) -DLUOC_REF_SHARED -MMD -MP -c -o $@ $<

$(B)/ref/pic-image/%.o: conformance/image/%.c $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(REF_CFLAGS) $(CPPFLAGS_LUOC) -Iconformance/image -MMD -MP -c -o $@ $<

$(B)/ref/pic-adapter/%.o: conformance/adapter/%.c conformance/adapter/%.h $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(REF_CFLAGS) -MMD -MP -c -o $@ $<

$(LUOC_REF_LIB): $(REF_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LUOC_REF_SO): $(REF_SO_OBJ) $(REF_PIC_IMAGE_OBJ)
	$(CC) $(CFLAGS) -shared -Wl,-z,defs -o $@ $^ $(LUOC_REF_LDLIBS)

$(LUO_REF): conformance/ref/ref_main.c $(LUOC_REF_LIB) $(LUOC_ADAPTER_LIB) $(B)/libluocimage.a $(REF_HDRS) $(DEPS)
	$(CC) $(CFLAGS) $(WARN) $(REF_CPPFLAGS) -o $@ $< $(LUOC_REF_LIB) $(B)/libluocadapter.a \
		$(B)/libluocimage.a -ljson-c $(LUOC_REF_LDLIBS)

# --- broken samples: the reference with one defect (REF_DEF_* in ref.h) -------------
REF_BROKEN := no-flb:REF_DEF_NO_FLB be-u64:REF_DEF_BE_U64 unpreserved-folio:REF_DEF_FOLIO_UNPRES \
	any-compat:REF_DEF_ANY_COMPAT name-no-nul:REF_DEF_NAME_NO_NUL silent:REF_DEF_SILENT
REF_BROKEN_SO := $(foreach b,$(REF_BROKEN),$(B)/ref/broken/libluocref-$(firstword $(subst :, ,$(b))).so)

define ref_broken_rule
$(B)/ref/broken/libluocref-$(1).so: $(addprefix conformance/ref/,$(addsuffix .c,$(REF_NAMES))) $(B)/ref/obj/profiles_gen.o $(REF_PIC_IMAGE_OBJ) $(REF_HDRS) $(GEN_H) $(DEPS)
	@mkdir -p $$(@D)
	$$(CC) $$(REF_CFLAGS) $$(REF_CPPFLAGS) -DLUOC_REF_SHARED -DLUOC_REF_DEFECT=$(2) \
		-DLUOC_REF_NAME='"luoc-ref-$(1)"' -shared -Wl,-z,defs -o $$@ \
		$(addprefix conformance/ref/,$(addsuffix .c,$(REF_NAMES))) \
		$(B)/ref/obj/profiles_gen.o $(REF_PIC_IMAGE_OBJ) $(LUOC_REF_LDLIBS)
endef
$(foreach b,$(REF_BROKEN),$(eval $(call ref_broken_rule,$(firstword $(subst :, ,$(b))),$(lastword $(subst :, ,$(b))))))

-include $(REF_OBJ:.o=.d) $(REF_SO_OBJ:.o=.d) $(REF_PIC_IMAGE_OBJ:.o=.d)

ALL += $(LUOC_REF_LIB) $(LUOC_REF_SO) $(LUO_REF)
