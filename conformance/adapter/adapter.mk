# Adapter loader, subprocess adapter and state helpers (JSON via json-c):
#   $(LUOC_ADAPTER_LIB) = $(B)/libluocadapter.a; link with $(LUOC_ADAPTER_LDLIBS).
DEB_PKGS += libjson-c-dev libssl-dev

LUOC_ADAPTER_SRC := $(sort $(wildcard conformance/adapter/*.c))
LUOC_ADAPTER_OBJ := $(patsubst conformance/adapter/%.c,$(B)/adapter/%.o,$(LUOC_ADAPTER_SRC))
LUOC_ADAPTER_LIB := $(B)/libluocadapter.a
LUOC_ADAPTER_LDLIBS := -ljson-c -lcrypto -ldl
LUOC_ADAPTER_CPPFLAGS := -Iconformance/adapter

$(B)/adapter/%.o: conformance/adapter/%.c $(GEN_H) $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC $(WARN) $(CPPFLAGS_LUOC) $(LUOC_ADAPTER_CPPFLAGS) -MMD -MP -c -o $@ $<

$(LUOC_ADAPTER_LIB): $(LUOC_ADAPTER_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

-include $(LUOC_ADAPTER_OBJ:.o=.d)

ALL += $(LUOC_ADAPTER_LIB)
